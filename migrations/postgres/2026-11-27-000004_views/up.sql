-- Views per article and hour, for "most read" over the last hour, day, week or month.
-- Written only by the view flush, as additive upserts, so several processes add up exactly.
-- No foreign key: a flush may race an article's removal, and rows of removed articles are
-- ignored by the popular query and pruned with the rest after 35 days.
CREATE TABLE article_views_hourly (
    article_id BIGINT NOT NULL,
    hour TIMESTAMP NOT NULL,
    views BIGINT NOT NULL,
    PRIMARY KEY (article_id, hour)
);

-- Popular windows read a range of hours; pruning deletes the oldest.
CREATE INDEX article_views_hourly_hour_idx ON article_views_hourly (hour, article_id, views);
