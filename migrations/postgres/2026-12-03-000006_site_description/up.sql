-- What feeds and search engines show under the site's name.
ALTER TABLE site_settings ADD COLUMN description TEXT NOT NULL DEFAULT '';
