DROP TABLE article_views_hourly;
