-- One row per drift check of a monitor (periodic or by checkDrift), for the drift history of a model.
-- drift_details holds the report's features and concept drift as JSON:
-- {"features":[{"feature","kind","method","score","threshold","drifted","psi",...}],"conceptDrift":{...}}.
CREATE TABLE model_drift_checks (
    id              bigint           GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model_id        text             NOT NULL,
    machine_id      text             NOT NULL,
    checked_at      timestamptz      NOT NULL,
    drift_detected  boolean          NOT NULL,
    drift_score     double precision NOT NULL,
    reference_size  integer          NOT NULL,
    current_size    integer          NOT NULL,
    skipped_reason  text,
    drift_details   jsonb            NOT NULL
);
CREATE INDEX model_drift_checks_monitor ON model_drift_checks (model_id, machine_id, checked_at DESC);
