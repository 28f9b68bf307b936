-- A monitor's alerts, newest first: the fleet view reads a page of monitors' alerts with one probe each.
CREATE INDEX model_alerts_monitor ON model_alerts (model_id, machine_id, created_at DESC);
