-- The lookup's counts (services/platform/adapters/failure_repository.py) as plain index scans, whatever the
-- statistics say. Every successful lookup deletes its claim, so within the 15-minute window an organisation's
-- index holds one dead entry per lookup until vacuum. A plain index scan marks each dead entry the first time
-- it passes it, and later scans skip it; a bitmap scan, which the planner may take for these branches, never
-- marks them and reads them all on every count (50,000 withdrawn claims: 1.7–2.3 ms and 649 buffers per count,
-- against 0.30 ms and 163 buffers; docs/benchmarks.md). The SET clauses hold for the function's own planning.
CREATE FUNCTION recent_lookup_checks(
    p_user uuid, p_number text, p_organisation uuid, p_window_seconds double precision, p_excluding bigint
) RETURNS TABLE (db_now timestamptz, scope text, claim_id bigint, at timestamptz, claim_in_flight boolean)
LANGUAGE plpgsql STABLE
SET enable_bitmapscan = off
SET enable_seqscan = off
AS $$
BEGIN
    -- One row with the database's now even when no check is found (claim_id NULL).
    RETURN QUERY
    SELECT n.now, f.scope, f.id, f.failed_at, f.in_flight FROM (SELECT now() AS now) n LEFT JOIN LATERAL (
        (SELECT 'user'::text AS scope, l.id, l.failed_at, l.in_flight FROM lookup_failures l
          WHERE l.user_id = p_user AND l.failed_at > now() - make_interval(secs => p_window_seconds)
            AND l.id <> p_excluding ORDER BY l.failed_at DESC)
        UNION ALL
        (SELECT 'number'::text, l.id, l.failed_at, l.in_flight FROM lookup_failures l
          WHERE l.contract_number = p_number AND l.failed_at > now() - make_interval(secs => p_window_seconds)
            AND l.id <> p_excluding ORDER BY l.failed_at DESC)
        UNION ALL
        (SELECT 'organisation'::text, l.id, l.failed_at, l.in_flight FROM lookup_failures l
          WHERE l.organisation_id = p_organisation AND l.failed_at > now() - make_interval(secs => p_window_seconds)
            AND l.id <> p_excluding ORDER BY l.failed_at DESC)
    ) f ON true;
END;
$$;
