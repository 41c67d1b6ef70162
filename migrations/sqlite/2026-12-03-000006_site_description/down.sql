ALTER TABLE site_settings DROP COLUMN description;
