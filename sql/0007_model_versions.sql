-- The registry's champion: when each version last became it, and at most one champion per monitor.
ALTER TABLE model_versions ADD COLUMN promoted_at timestamptz;
CREATE UNIQUE INDEX model_versions_one_champion ON model_versions (model_id, machine_id) WHERE is_champion;
