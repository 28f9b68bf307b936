-- Hourly aggregates of each monitor's metrics, kept by the history writer in the same transaction as
-- the evaluations they sum, so a trend over months reads hours instead of every evaluation.
-- Per metric: count of evaluations that have it, sum, min and max (min/max null while the count is 0).
CREATE TABLE model_metric_hourly (
    model_id    text        NOT NULL,
    machine_id  text        NOT NULL,
    hour        timestamptz NOT NULL,
    r_squared_n    bigint           NOT NULL DEFAULT 0,
    r_squared_sum  double precision NOT NULL DEFAULT 0,
    r_squared_min  double precision,
    r_squared_max  double precision,
    rmse_n    bigint           NOT NULL DEFAULT 0,
    rmse_sum  double precision NOT NULL DEFAULT 0,
    rmse_min  double precision,
    rmse_max  double precision,
    mae_n    bigint           NOT NULL DEFAULT 0,
    mae_sum  double precision NOT NULL DEFAULT 0,
    mae_min  double precision,
    mae_max  double precision,
    mape_n    bigint           NOT NULL DEFAULT 0,
    mape_sum  double precision NOT NULL DEFAULT 0,
    mape_min  double precision,
    mape_max  double precision,
    accuracy_n    bigint           NOT NULL DEFAULT 0,
    accuracy_sum  double precision NOT NULL DEFAULT 0,
    accuracy_min  double precision,
    accuracy_max  double precision,
    precision_n    bigint           NOT NULL DEFAULT 0,
    precision_sum  double precision NOT NULL DEFAULT 0,
    precision_min  double precision,
    precision_max  double precision,
    recall_n    bigint           NOT NULL DEFAULT 0,
    recall_sum  double precision NOT NULL DEFAULT 0,
    recall_min  double precision,
    recall_max  double precision,
    f1_n    bigint           NOT NULL DEFAULT 0,
    f1_sum  double precision NOT NULL DEFAULT 0,
    f1_min  double precision,
    f1_max  double precision,
    PRIMARY KEY (model_id, machine_id, hour)
);

INSERT INTO model_metric_hourly
SELECT model_id, machine_id, date_trunc('hour', evaluated_at, 'UTC'),
       count(r_squared), coalesce(sum(r_squared), 0), min(r_squared), max(r_squared),
       count(rmse), coalesce(sum(rmse), 0), min(rmse), max(rmse),
       count(mae), coalesce(sum(mae), 0), min(mae), max(mae),
       count(mape), coalesce(sum(mape), 0), min(mape), max(mape),
       count(accuracy), coalesce(sum(accuracy), 0), min(accuracy), max(accuracy),
       count("precision"), coalesce(sum("precision"), 0), min("precision"), max("precision"),
       count(recall), coalesce(sum(recall), 0), min(recall), max(recall),
       count(f1), coalesce(sum(f1), 0), min(f1), max(f1)
FROM model_performance_metrics
GROUP BY model_id, machine_id, date_trunc('hour', evaluated_at, 'UTC');
