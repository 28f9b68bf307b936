-- Hourly aggregates of each monitor's metrics, so a trend over months reads hours instead of every
-- evaluation. Trend queries fill it for hours that ended a while ago (ingestion pays nothing for it);
-- an evaluation that arrives late for such an hour is added here in the same transaction as its row.
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

-- Up to where (exclusive) model_metric_hourly is complete for a monitor. Hours before it are summed
-- there; later hours are read from model_performance_metrics, and a trend query extends it.
CREATE TABLE model_metric_hourly_coverage (
    model_id       text        NOT NULL,
    machine_id     text        NOT NULL,
    covered_until  timestamptz NOT NULL,
    PRIMARY KEY (model_id, machine_id)
);
