DROP TABLE redirects;
