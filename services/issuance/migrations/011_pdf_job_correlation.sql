-- The correlation id of the event whose handling wrote the job (the application's, through every service):
-- the render worker binds it on its log lines, so an application's PDFs are found with the rest of its path.
ALTER TABLE pdf_jobs ADD COLUMN correlation_id text;
