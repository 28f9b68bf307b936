-- Orleans ADO.NET clustering provider (Microsoft.Orleans.Clustering.AdoNet) on PostgreSQL.
--
-- The providers load every statement from OrleansQuery by key and bind their own parameter
-- names (@DeploymentId, @Address, ...); result columns are read by name. Identifiers are left
-- unquoted: the providers query "OrleansQuery" unquoted, so names fold to lower case, and
-- Npgsql matches result column names case-insensitively.

CREATE TABLE OrleansQuery (
    QueryKey  varchar(64) PRIMARY KEY,
    QueryText text NOT NULL
);

-- One row per cluster (DeploymentId is the ClusterId). Version is the table version that
-- every membership change must match and increment: Orleans' optimistic concurrency.
CREATE TABLE OrleansMembershipVersionTable (
    DeploymentId text PRIMARY KEY,
    Timestamp    timestamptz NOT NULL DEFAULT now(),
    Version      integer NOT NULL DEFAULT 0
);

-- One row per silo incarnation; Generation tells restarts on the same endpoint apart.
-- Status is Orleans' SiloStatus: 3 Active, 6 Dead.
-- SuspectTimes is the provider's own text encoding of the suspicion votes.
CREATE TABLE OrleansMembershipTable (
    DeploymentId text NOT NULL REFERENCES OrleansMembershipVersionTable (DeploymentId) ON DELETE CASCADE,
    Address      text NOT NULL,
    Port         integer NOT NULL,
    Generation   integer NOT NULL,
    SiloName     text NOT NULL,
    HostName     text NOT NULL,
    Status       integer NOT NULL,
    ProxyPort    integer,
    SuspectTimes text,
    StartTime    timestamptz NOT NULL,
    IAmAliveTime timestamptz NOT NULL,
    PRIMARY KEY (DeploymentId, Address, Port, Generation)
);

-- Inserts a silo row if the table version still is the one the caller read, and bumps it.
-- The FOR UPDATE lock serializes writers; under READ COMMITTED a writer that waited re-checks
-- the version against the committed row and gives up, as the protocol expects.
CREATE FUNCTION orleans_membership_insert(
    p_deployment_id text, p_address text, p_port integer, p_generation integer, p_silo_name text, p_host_name text,
    p_status integer, p_proxy_port integer, p_start_time timestamptz, p_i_am_alive_time timestamptz, p_expected_version integer)
RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM OrleansMembershipVersionTable v
    WHERE v.DeploymentId = p_deployment_id AND v.Version = p_expected_version
    FOR UPDATE;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
    VALUES
        (p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name, p_status, p_proxy_port, p_start_time, p_i_am_alive_time)
    ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE OrleansMembershipVersionTable v SET Version = v.Version + 1, Timestamp = now()
    WHERE v.DeploymentId = p_deployment_id;
    RETURN true;
END
$$;

-- Updates a silo row under the same table-version check as orleans_membership_insert.
CREATE FUNCTION orleans_membership_update(
    p_deployment_id text, p_address text, p_port integer, p_generation integer,
    p_status integer, p_suspect_times text, p_i_am_alive_time timestamptz, p_expected_version integer)
RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM OrleansMembershipVersionTable v
    WHERE v.DeploymentId = p_deployment_id AND v.Version = p_expected_version
    FOR UPDATE;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE OrleansMembershipTable m
    SET Status = p_status, SuspectTimes = p_suspect_times, IAmAliveTime = p_i_am_alive_time
    WHERE m.DeploymentId = p_deployment_id AND m.Address = p_address AND m.Port = p_port AND m.Generation = p_generation;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE OrleansMembershipVersionTable v SET Version = v.Version + 1, Timestamp = now()
    WHERE v.DeploymentId = p_deployment_id;
    RETURN true;
END
$$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
-- Returns one boolean column: whether this call created the cluster's version row.
('InsertMembershipVersionKey', $q$
    WITH inserted AS (
        INSERT INTO OrleansMembershipVersionTable (DeploymentId) VALUES (@DeploymentId)
        ON CONFLICT DO NOTHING
        RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM inserted)
$q$),

('InsertMembershipKey', $q$
    SELECT orleans_membership_insert(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
                                     @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version)
$q$),

('UpdateMembershipKey', $q$
    SELECT orleans_membership_update(@DeploymentId, @Address, @Port, @Generation,
                                     @Status, @SuspectTimes, @IAmAliveTime, @Version)
$q$),

-- The heartbeat: no table-version change, by the protocol's design.
('UpdateIAmAlivetimeKey', $q$
    UPDATE OrleansMembershipTable SET IAmAliveTime = @IAmAliveTime
    WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
$q$),

-- The provider needs the table version even when no silo row matches: the outer join yields
-- one row with a NULL StartTime then, which it reads as "version only".
('MembershipReadRowKey', $q$
    SELECT v.Version, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
           m.SuspectTimes, m.StartTime, m.IAmAliveTime
    FROM OrleansMembershipVersionTable v
    LEFT JOIN OrleansMembershipTable m
           ON m.DeploymentId = v.DeploymentId
          AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
    WHERE v.DeploymentId = @DeploymentId
$q$),

('MembershipReadAllKey', $q$
    SELECT v.Version, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
           m.SuspectTimes, m.StartTime, m.IAmAliveTime
    FROM OrleansMembershipVersionTable v
    LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
    WHERE v.DeploymentId = @DeploymentId
$q$),

-- Clients call this with @Status = 3 (Active).
('GatewaysQueryKey', $q$
    SELECT Address, ProxyPort, Generation
    FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0
$q$),

-- Silo rows go with the version row (ON DELETE CASCADE).
('DeleteMembershipTableEntriesKey', $q$
    DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId
$q$),

-- Periodic cleanup of silos declared dead (6) whose last heartbeat is older than @IAmAliveTime.
('CleanupDefunctSiloEntriesKey', $q$
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND Status = 6 AND IAmAliveTime < @IAmAliveTime
$q$);
