-- API keys, by the SHA-256 of their secret; revoked ones stay, for the record.
CREATE TABLE model_api_keys (
    id            uuid        PRIMARY KEY,
    name          text        NOT NULL,
    roles         text[]      NOT NULL,
    key_hash      text        NOT NULL UNIQUE,
    created_at    timestamptz NOT NULL,
    last_used_at  timestamptz,
    revoked_at    timestamptz
);

-- Every mutation, allowed or refused.
CREATE TABLE model_audit_log (
    id         bigserial   PRIMARY KEY,
    at         timestamptz NOT NULL,
    actor      text        NOT NULL,
    operation  text        NOT NULL,
    target     text,
    succeeded  boolean     NOT NULL,
    code       text
);
CREATE INDEX model_audit_log_at ON model_audit_log (at DESC);
CREATE INDEX model_audit_log_actor ON model_audit_log (actor, at DESC);
