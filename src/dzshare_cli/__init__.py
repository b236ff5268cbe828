"""dzshare: a division-of-responsibility table (重点任务责任分工) as checkable data."""

__version__ = "0.1.0"
