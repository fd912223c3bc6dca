-- Evidence photos of a reach report: media of the report's campaign that
-- belong to the report, never to the campaign's public pages. They are
-- deleted with their report.
ALTER TABLE media ADD COLUMN reach_report_id UUID REFERENCES reach_reports (id);
CREATE INDEX media_reach_report ON media (reach_report_id);
