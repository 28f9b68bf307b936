-- Where alerts are sent. The secret signs webhook bodies and is never returned.
CREATE TABLE model_notification_channels (
    id                       uuid        PRIMARY KEY,
    name                     text        NOT NULL,
    kind                     text        NOT NULL,
    url                      text        NOT NULL,
    min_severity             text        NOT NULL,
    types                    text[],
    machine_ids              text[],
    model_types              text[],
    repeat_interval_minutes  integer     NOT NULL,
    secret                   text,
    enabled                  boolean     NOT NULL,
    created_at               timestamptz NOT NULL
);

-- Bumped by every change to the channels, so a silo may keep them in memory and read one number per alert instead.
CREATE TABLE model_notification_channel_version (
    id       integer PRIMARY KEY CHECK (id = 1),
    version  bigint  NOT NULL
);
INSERT INTO model_notification_channel_version VALUES (1, 0);

CREATE FUNCTION model_notification_channels_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE model_notification_channel_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END $$;

CREATE TRIGGER model_notification_channels_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON model_notification_channels
    FOR EACH STATEMENT EXECUTE FUNCTION model_notification_channels_changed();

CREATE TABLE model_silences (
    id          uuid        PRIMARY KEY,
    model_id    text,
    machine_id  text,
    model_type  text,
    type        text,
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    created_by  text        NOT NULL,
    comment     text
);
CREATE INDEX model_silences_ends ON model_silences (ends_at);

-- The outbox: one row per event per channel, written in the transaction that changes the alert. seq is the order
-- in which events happened; alert is the alert as it was then (json keeps the field order of the body).
CREATE TABLE model_notification_deliveries (
    seq              bigserial   PRIMARY KEY,
    id               uuid        NOT NULL UNIQUE,
    channel_id       uuid        NOT NULL,
    alert_id         uuid,
    event            text        NOT NULL,
    status           text        NOT NULL,
    attempts         integer     NOT NULL,
    created_at       timestamptz NOT NULL,
    last_attempt_at  timestamptz,
    response_status  integer,
    error            text,
    next_attempt_at  timestamptz NOT NULL,
    locked_until     timestamptz,
    alert            json
);
CREATE INDEX model_notification_deliveries_pending ON model_notification_deliveries (seq) WHERE status = 'PENDING';
CREATE INDEX model_notification_deliveries_pending_pair ON model_notification_deliveries (channel_id, alert_id, seq) WHERE status = 'PENDING';
CREATE INDEX model_notification_deliveries_alert ON model_notification_deliveries (alert_id, seq DESC);
CREATE INDEX model_notification_deliveries_channel ON model_notification_deliveries (channel_id, seq DESC);
