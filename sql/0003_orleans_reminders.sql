-- Orleans ADO.NET reminder provider (Microsoft.Orleans.Reminders.AdoNet) on PostgreSQL.
--
-- GrainHash is the grain id's uniform hash, a uint the provider passes as a (signed) integer;
-- @BeginHash and @EndHash come the same way. Period is in milliseconds. Version is the ETag.

CREATE TABLE OrleansRemindersTable (
    ServiceId    text NOT NULL,
    GrainId      text NOT NULL,
    ReminderName text NOT NULL,
    StartTime    timestamptz NOT NULL,
    Period       bigint NOT NULL,
    GrainHash    integer NOT NULL,
    Version      integer NOT NULL,
    PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

-- Each silo reads the reminders of its own slice of the hash ring.
CREATE INDEX ix_orleansreminderstable_hash ON OrleansRemindersTable (ServiceId, GrainHash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
-- Returns the new Version (the ETag).
('UpsertReminderRowKey', $q$
    INSERT INTO OrleansRemindersTable AS r (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
    VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
    ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
    SET StartTime = excluded.StartTime, Period = excluded.Period, GrainHash = excluded.GrainHash,
        Version = r.Version + 1
    RETURNING Version
$q$),

('ReadReminderRowsKey', $q$
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainId = @GrainId
$q$),

('ReadReminderRowKey', $q$
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName
$q$),

-- The ring range (BeginHash, EndHash] when BeginHash < EndHash as signed integers...
('ReadRangeRows1Key', $q$
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainHash > @BeginHash AND GrainHash <= @EndHash
$q$),

-- ...and otherwise the range that wraps around the end of the ring.
('ReadRangeRows2Key', $q$
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND (GrainHash > @BeginHash OR GrainHash <= @EndHash)
$q$),

-- Returns one boolean column: whether the row with that ETag was deleted.
('DeleteReminderRowKey', $q$
    WITH deleted AS (
        DELETE FROM OrleansRemindersTable
        WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName
          AND Version = @Version
        RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM deleted)
$q$),

('DeleteReminderRowsKey', $q$
    DELETE FROM OrleansRemindersTable WHERE ServiceId = @ServiceId
$q$);
