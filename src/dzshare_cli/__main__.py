"""Entry point for `python -m dzshare_cli`."""

from dzshare_cli.cli import main

if __name__ == "__main__":
    main()
