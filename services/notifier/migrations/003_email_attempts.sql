-- Issue 11: the attempt is recorded before the DATA command. 'sending' + data_started_at = the SMTP server may
-- have the message and we have not seen its 250 (the sender died, or the reply timed out): not sent again
-- before EMAIL_UNKNOWN_RESEND_AFTER_SECONDS, then sent again with the same Message-ID. A row that is 'pending'
-- never reached DATA, so it is sent again as soon as its (short) lease runs out.
ALTER TABLE email_outbox DROP CONSTRAINT email_outbox_status_check;
ALTER TABLE email_outbox
    ADD CONSTRAINT email_outbox_status_check CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
    ADD COLUMN data_started_at timestamptz,
    ADD CONSTRAINT email_outbox_sending_has_data_started_at CHECK (status <> 'sending' OR data_started_at IS NOT NULL);
DROP INDEX email_outbox_due;
CREATE INDEX email_outbox_due ON email_outbox (next_attempt_at) WHERE status IN ('pending', 'sending');
