-- Domain tables and views. The table and view names are those of the service this one replaces.
-- Times are timestamptz (UTC in, UTC out); enums are stored as the contract's names (e.g. 'REGRESSION').

-- One row per monitor (model on machine): what lists and filters need without waking grains.
CREATE TABLE model_monitors (
    model_id        text        NOT NULL,
    machine_id      text        NOT NULL,
    model_type      text        NOT NULL DEFAULT 'default',
    task            text,
    active_version  text,
    health          text        NOT NULL DEFAULT 'UNKNOWN',
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (model_id, machine_id)
);
CREATE INDEX model_monitors_model_type ON model_monitors (model_type);
CREATE INDEX model_monitors_machine ON model_monitors (machine_id);

-- Every evaluation, recorded or computed from a prediction batch; drift checks add their verdict.
-- seq orders a monitor's writes, so a grain can replay what its last saved state had not seen.
CREATE TABLE model_performance_metrics (
    id             uuid             PRIMARY KEY,
    model_id       text             NOT NULL,
    machine_id     text             NOT NULL,
    model_type     text             NOT NULL,
    model_version  text,
    seq            bigint           NOT NULL,
    evaluation_id  text,
    source         text             NOT NULL,
    evaluated_at   timestamptz      NOT NULL,
    recorded_at    timestamptz      NOT NULL,
    sample_count   integer,
    r_squared      double precision,
    rmse           double precision,
    mae            double precision,
    mape           double precision,
    accuracy       double precision,
    "precision"    double precision,
    recall         double precision,
    f1             double precision,
    drift_detected boolean,
    drift_score    double precision,
    drift_details  jsonb
);
CREATE INDEX model_performance_metrics_time ON model_performance_metrics (model_id, machine_id, evaluated_at);
CREATE INDEX model_performance_metrics_seq ON model_performance_metrics (model_id, machine_id, seq);
CREATE UNIQUE INDEX model_performance_metrics_evaluation_id
    ON model_performance_metrics (model_id, machine_id, evaluation_id) WHERE evaluation_id IS NOT NULL;

-- Prediction batches as received, so a monitor's window survives a crash between saves of its state.
CREATE TABLE model_prediction_batches (
    model_id       text        NOT NULL,
    machine_id     text        NOT NULL,
    seq            bigint      NOT NULL,
    batch_id       text,
    model_version  text,
    received_at    timestamptz NOT NULL,
    sample_count   integer     NOT NULL,
    samples        jsonb       NOT NULL,
    PRIMARY KEY (model_id, machine_id, seq)
);
CREATE UNIQUE INDEX model_prediction_batches_batch_id
    ON model_prediction_batches (model_id, machine_id, batch_id) WHERE batch_id IS NOT NULL;

-- The model registry: every version seen in data or produced by training.
CREATE TABLE model_versions (
    model_id         text        NOT NULL,
    machine_id       text        NOT NULL,
    version          text        NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    training_job_id  uuid,
    metrics          jsonb,
    is_champion      boolean     NOT NULL DEFAULT false,
    artifact         jsonb,
    PRIMARY KEY (model_id, machine_id, version)
);

CREATE TABLE model_training_history (
    id                uuid        PRIMARY KEY,
    model_id          text        NOT NULL,
    machine_id        text        NOT NULL,
    trigger           text        NOT NULL,
    status            text        NOT NULL,
    reason            text,
    created_at        timestamptz NOT NULL,
    started_at        timestamptz,
    completed_at      timestamptz,
    previous_version  text,
    new_version       text,
    hyperparameters   jsonb,
    metrics_before    jsonb,
    metrics_after     jsonb,
    improvement       double precision,
    error             text,
    ab_test_id        uuid
);
CREATE INDEX model_training_history_monitor ON model_training_history (model_id, machine_id, created_at DESC);

CREATE TABLE model_ab_tests (
    id                   uuid             PRIMARY KEY,
    model_id             text             NOT NULL,
    machine_id           text             NOT NULL,
    version_a            text             NOT NULL,
    version_b            text             NOT NULL,
    traffic_split        double precision NOT NULL,
    primary_metric       text             NOT NULL,
    lower_is_better      boolean          NOT NULL,
    status               text             NOT NULL,
    started_at           timestamptz      NOT NULL,
    ends_at              timestamptz,
    completed_at         timestamptz,
    min_samples_per_arm  integer          NOT NULL,
    auto_promote         boolean          NOT NULL,
    results              jsonb
);
CREATE INDEX model_ab_tests_monitor ON model_ab_tests (model_id, machine_id);

CREATE TABLE model_alerts (
    id               uuid        PRIMARY KEY,
    model_id         text        NOT NULL,
    machine_id       text        NOT NULL,
    model_type       text        NOT NULL,
    type             text        NOT NULL,
    severity         text        NOT NULL,
    status           text        NOT NULL,
    message          text        NOT NULL,
    details          jsonb,
    created_at       timestamptz NOT NULL,
    last_seen_at     timestamptz NOT NULL,
    occurrences      integer     NOT NULL DEFAULT 1,
    acknowledged_at  timestamptz,
    resolved_at      timestamptz,
    resolved_by      text,
    resolution_note  text,
    auto_action      text
);
-- At most one alert per (model, machine, type) is not RESOLVED (SEMANTICS.md, Alerts).
CREATE UNIQUE INDEX model_alerts_one_open
    ON model_alerts (model_id, machine_id, type) WHERE status <> 'RESOLVED';
CREATE INDEX model_alerts_created ON model_alerts (created_at DESC);

-- Each monitor with its latest evaluation.
CREATE VIEW v_latest_model_performance AS
SELECT m.model_id, m.machine_id, m.model_type, m.task, m.active_version, m.health,
       e.id AS evaluation_id, e.model_version, e.evaluated_at, e.sample_count,
       e.r_squared, e.rmse, e.mae, e.mape, e.accuracy, e."precision", e.recall, e.f1
FROM model_monitors m
LEFT JOIN LATERAL (
    SELECT * FROM model_performance_metrics p
    WHERE p.model_id = m.model_id AND p.machine_id = m.machine_id
    ORDER BY p.evaluated_at DESC, p.seq DESC
    LIMIT 1) e ON true;

CREATE VIEW v_active_ab_tests AS
SELECT * FROM model_ab_tests WHERE status = 'RUNNING';

CREATE VIEW v_unresolved_model_alerts AS
SELECT * FROM model_alerts WHERE status <> 'RESOLVED';
