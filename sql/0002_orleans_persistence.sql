-- Orleans ADO.NET grain storage provider (Microsoft.Orleans.Persistence.AdoNet) on PostgreSQL.
--
-- A grain's identity reaches us in parts: GrainIdN0/N1 hold a Guid or integer key,
-- GrainIdExtensionString a string key or a key extension (NULL when there is none), and the
-- two hashes, computed by the provider, lead the index. Version is the grain state's ETag.

CREATE TABLE OrleansStorage (
    GrainIdHash            integer NOT NULL,
    GrainIdN0              bigint NOT NULL,
    GrainIdN1              bigint NOT NULL,
    GrainTypeHash          integer NOT NULL,
    GrainTypeString        text NOT NULL,
    GrainIdExtensionString text,
    ServiceId              text NOT NULL,
    PayloadBinary          bytea,
    ModifiedOn             timestamptz NOT NULL DEFAULT now(),
    Version                integer NOT NULL
);

-- NULLS NOT DISTINCT (PostgreSQL 15+): a grain without a key extension still has one row.
CREATE UNIQUE INDEX ix_orleansstorage_grain ON OrleansStorage
    (GrainIdHash, GrainTypeHash, ServiceId, GrainIdN0, GrainIdN1, GrainTypeString, GrainIdExtensionString)
    NULLS NOT DISTINCT;

-- Writes a grain's state if its ETag (expected_version) still matches: a NULL ETag means the
-- grain believes no row exists. Returns the new version, or NULL on a conflict, which the
-- provider turns into an InconsistentStateException.
CREATE FUNCTION orleans_storage_write(
    p_grain_id_hash integer, p_grain_id_n0 bigint, p_grain_id_n1 bigint, p_grain_type_hash integer,
    p_grain_type text, p_grain_id_extension text, p_service_id text, p_expected_version integer, p_payload bytea)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    new_version integer;
BEGIN
    IF p_expected_version IS NULL THEN
        INSERT INTO OrleansStorage (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
                                    GrainIdExtensionString, ServiceId, PayloadBinary, Version)
        VALUES (p_grain_id_hash, p_grain_id_n0, p_grain_id_n1, p_grain_type_hash, p_grain_type,
                p_grain_id_extension, p_service_id, p_payload, 1)
        ON CONFLICT DO NOTHING
        RETURNING Version INTO new_version;
    ELSE
        UPDATE OrleansStorage s
        SET PayloadBinary = p_payload, Version = s.Version + 1, ModifiedOn = now()
        WHERE s.GrainIdHash = p_grain_id_hash AND s.GrainTypeHash = p_grain_type_hash
          AND s.ServiceId = p_service_id AND s.GrainIdN0 = p_grain_id_n0 AND s.GrainIdN1 = p_grain_id_n1
          AND s.GrainTypeString = p_grain_type
          AND s.GrainIdExtensionString IS NOT DISTINCT FROM p_grain_id_extension
          AND s.Version = p_expected_version
        RETURNING s.Version INTO new_version;
    END IF;
    RETURN new_version;
END
$$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('WriteToStorageKey', $q$
    SELECT orleans_storage_write(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
                                 @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary)
           AS NewGrainStateVersion
$q$),

-- A cleared state is a row with a NULL payload: the provider then reports no record but keeps
-- the version as the ETag.
('ReadFromStorageKey', $q$
    SELECT PayloadBinary, Version
    FROM OrleansStorage
    WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash AND ServiceId = @ServiceId
      AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1 AND GrainTypeString = @GrainTypeString
      AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
$q$),

-- ClearStateAsync: keeps the row, so the version keeps counting.
('ClearStorageKey', $q$
    UPDATE OrleansStorage
    SET PayloadBinary = NULL, Version = Version + 1, ModifiedOn = now()
    WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash AND ServiceId = @ServiceId
      AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1 AND GrainTypeString = @GrainTypeString
      AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
      AND Version = @GrainStateVersion
    RETURNING Version
$q$),

-- ClearStateAsync with DeleteStateOnClear. The provider treats a returned value equal to the
-- ETag as a conflict, so this returns the version the deletion stands for, not the old one.
('DeleteStorageKey', $q$
    DELETE FROM OrleansStorage
    WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash AND ServiceId = @ServiceId
      AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1 AND GrainTypeString = @GrainTypeString
      AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
      AND Version = @GrainStateVersion
    RETURNING Version + 1
$q$);
