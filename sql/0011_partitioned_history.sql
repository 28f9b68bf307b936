-- The history tables grow without bound, so model_performance_metrics and model_drift_checks are partitioned by
-- calendar month (UTC) of their time column: a query for a range reads only its months, and retention drops whole
-- months instead of deleting rows. The service creates the months ahead, and a writer creates a missing month (a
-- backfill) when an insert finds none. This script converts tables that already hold rows, in one transaction.

-- The partition of parent that holds the month starting at month_start (a UTC month), e.g. model_drift_checks_p202612.
CREATE FUNCTION model_history_partition_name(parent text, month_start timestamp) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT parent || '_p' || to_char(month_start, 'YYYYMM') $$;

-- Creates the monthly partitions of parent for every month from first_time to last_time (inclusive); returns how many
-- it created. Silos call it concurrently: the lock makes one create a month while the others wait and find it.
CREATE FUNCTION model_history_ensure_partitions(parent text, first_time timestamptz, last_time timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    month_start timestamp := date_trunc('month', first_time AT TIME ZONE 'UTC');
    last_month timestamp := date_trunc('month', last_time AT TIME ZONE 'UTC');
    created integer := 0;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('model_history_partitions'));
    WHILE month_start <= last_month LOOP
        IF to_regclass(model_history_partition_name(parent, month_start)) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                model_history_partition_name(parent, month_start), parent,
                month_start AT TIME ZONE 'UTC', (month_start + interval '1 month') AT TIME ZONE 'UTC');
            created := created + 1;
        END IF;
        month_start := month_start + interval '1 month';
    END LOOP;
    RETURN created;
END $$;

-- Drops the monthly partitions of parent whose whole month ends at or before cutoff; returns how many it dropped.
-- Evaluations take their idempotency keys with them (the keys of the months before cutoff's month).
CREATE FUNCTION model_history_drop_partitions(parent text, cutoff timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    partition_name text;
    dropped integer := 0;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('model_history_partitions'));
    FOR partition_name IN
        SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = parent::regclass AND c.relname ~ ('^' || parent || '_p[0-9]{6}$')
          AND (to_date(right(c.relname, 6), 'YYYYMM') + interval '1 month') AT TIME ZONE 'UTC' <= cutoff
    LOOP
        EXECUTE format('DROP TABLE %I', partition_name);
        dropped := dropped + 1;
    END LOOP;
    IF parent = 'model_performance_metrics' THEN
        DELETE FROM model_evaluation_keys WHERE evaluated_at < date_trunc('month', cutoff, 'UTC');
    END IF;
    RETURN dropped;
END $$;

-- Evaluations: the primary key and indexes of 0004, each partition holding its own. A unique index of a partitioned
-- table must contain the partition column, so the idempotency key (one evaluation per evaluationId and monitor,
-- whatever its evaluatedAt) moves to model_evaluation_keys, written in the same transaction as the evaluation.
DROP VIEW v_latest_model_performance;
ALTER TABLE model_performance_metrics RENAME TO model_performance_metrics_unpartitioned;
ALTER INDEX model_performance_metrics_pkey RENAME TO model_performance_metrics_unpartitioned_pkey;
ALTER INDEX model_performance_metrics_time RENAME TO model_performance_metrics_unpartitioned_time;
ALTER INDEX model_performance_metrics_seq RENAME TO model_performance_metrics_unpartitioned_seq;
ALTER INDEX model_performance_metrics_evaluation_id RENAME TO model_performance_metrics_unpartitioned_evaluation_id;

-- The same columns in the same order (the copy below is by position), with the partition column in the key.
CREATE TABLE model_performance_metrics (
    LIKE model_performance_metrics_unpartitioned INCLUDING DEFAULTS,
    PRIMARY KEY (id, evaluated_at)
) PARTITION BY RANGE (evaluated_at);
CREATE INDEX model_performance_metrics_time ON model_performance_metrics (model_id, machine_id, evaluated_at);
CREATE INDEX model_performance_metrics_seq ON model_performance_metrics (model_id, machine_id, seq);

CREATE TABLE model_evaluation_keys (
    model_id       text        NOT NULL,
    machine_id     text        NOT NULL,
    evaluation_id  text        NOT NULL,
    id             uuid        NOT NULL,
    evaluated_at   timestamptz NOT NULL,
    PRIMARY KEY (model_id, machine_id, evaluation_id)
);

SELECT model_history_ensure_partitions('model_performance_metrics', month_start, month_start)
FROM (SELECT DISTINCT date_trunc('month', evaluated_at, 'UTC') AS month_start FROM model_performance_metrics_unpartitioned) months;
SELECT model_history_ensure_partitions('model_performance_metrics', now(), now() + interval '1 month');
INSERT INTO model_performance_metrics SELECT * FROM model_performance_metrics_unpartitioned;
INSERT INTO model_evaluation_keys (model_id, machine_id, evaluation_id, id, evaluated_at)
SELECT model_id, machine_id, evaluation_id, id, evaluated_at FROM model_performance_metrics_unpartitioned WHERE evaluation_id IS NOT NULL;
DROP TABLE model_performance_metrics_unpartitioned;

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

-- Drift checks, partitioned the same way by checked_at; ids continue where the old table's left off.
ALTER TABLE model_drift_checks RENAME TO model_drift_checks_unpartitioned;
ALTER INDEX model_drift_checks_pkey RENAME TO model_drift_checks_unpartitioned_pkey;
ALTER INDEX model_drift_checks_monitor RENAME TO model_drift_checks_unpartitioned_monitor;

CREATE TABLE model_drift_checks (
    LIKE model_drift_checks_unpartitioned INCLUDING DEFAULTS INCLUDING IDENTITY,
    PRIMARY KEY (id, checked_at)
) PARTITION BY RANGE (checked_at);
CREATE INDEX model_drift_checks_monitor ON model_drift_checks (model_id, machine_id, checked_at DESC);

SELECT model_history_ensure_partitions('model_drift_checks', month_start, month_start)
FROM (SELECT DISTINCT date_trunc('month', checked_at, 'UTC') AS month_start FROM model_drift_checks_unpartitioned) months;
SELECT model_history_ensure_partitions('model_drift_checks', now(), now() + interval '1 month');
INSERT INTO model_drift_checks OVERRIDING SYSTEM VALUE SELECT * FROM model_drift_checks_unpartitioned;
SELECT setval(pg_get_serial_sequence('model_drift_checks', 'id'), coalesce((SELECT max(id) FROM model_drift_checks_unpartitioned), 0) + 1, false);
DROP TABLE model_drift_checks_unpartitioned;
