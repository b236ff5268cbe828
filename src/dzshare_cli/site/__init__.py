"""The static dashboard site (亮灯督办): `model` works out each unit's light from the report,
`pages` renders every page and download to bytes, `write` puts the site in its folder at once."""
