import Foundation

/// The server side of a team workspace: every write arrives as one call of
/// `assure.apply_batch(base, changes)`, which takes the chain's lock, checks that the write was
/// made on the newest state, that its change-log rows continue the chain (their hashes
/// recomputed here, so a modified client cannot forge one), applies the row changes (each
/// update and delete only if the row still holds the values the writer saw), keeps the batch
/// for the other copies to fetch, and tells listeners. Error codes: AS001 the writer is
/// behind, AS002 a row changed meanwhile, AS003 the chain would break, AS004 the person's role
/// does not allow the change (`ServerRoles`), AS005 a bad access request.
enum ServerFunctions {
    /// Any number that no other advisory lock on the database uses: held by each append.
    static let chainLock = 7_406_250_001

    static let statements: [String] = [
        """
        CREATE TABLE assure.sync_batch (
          head bigint PRIMARY KEY,
          base bigint NOT NULL,
          person text NOT NULL,
          at timestamptz NOT NULL DEFAULT now(),
          changes jsonb NOT NULL
        )
        """,
        // The change-log row's hash exactly as assure computes it (ChainText): fields joined by
        // the unit separator, NUL for an absent value, the ids only when a row has one of them
        // or a table state, the state last.
        """
        CREATE FUNCTION assure.chain_hash(r assure.change_log) RETURNS text
        LANGUAGE plpgsql IMMUTABLE AS $$
        DECLARE
          sep CONSTANT bytea := '\\x1f';
          absent CONSTANT bytea := '\\x00';
          b bytea;
        BEGIN
          b := convert_to(r.prev_hash, 'UTF8') || sep || convert_to(r.id::text, 'UTF8') || sep
            || convert_to(r.at, 'UTF8') || sep || convert_to(r.actor, 'UTF8') || sep
            || convert_to(r.entity, 'UTF8') || sep || convert_to(r.ref, 'UTF8') || sep
            || convert_to(r.field, 'UTF8') || sep
            || coalesce(convert_to(r.before, 'UTF8'), absent) || sep
            || coalesce(convert_to(r.after, 'UTF8'), absent) || sep
            || convert_to(r.batch::text, 'UTF8') || sep
            || coalesce(convert_to(r.meeting_id::text, 'UTF8'), absent);
          IF r.state IS NOT NULL OR r.entity_id IS NOT NULL OR r.before_id IS NOT NULL OR r.after_id IS NOT NULL THEN
            b := b || sep || coalesce(convert_to(r.entity_id::text, 'UTF8'), absent)
                   || sep || coalesce(convert_to(r.before_id::text, 'UTF8'), absent)
                   || sep || coalesce(convert_to(r.after_id::text, 'UTF8'), absent);
          END IF;
          IF r.state IS NOT NULL THEN
            b := b || sep || convert_to(r.state, 'UTF8');
          END IF;
          RETURN encode(sha256(b), 'hex');
        END
        $$
        """,
        """
        CREATE FUNCTION assure.apply_batch(base bigint, changes jsonb) RETURNS bigint
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, assure AS $$
        DECLARE
          person_role text;
          head bigint;
          head_hash text;
          new_head bigint;
          expected_prev text;
          change jsonb;
          t text;
          op text;
          r assure.change_log;
          sets text;
          conditions text;
          key_conditions text;
          current_row jsonb;
          touched int;
        BEGIN
          SELECT role INTO person_role FROM assure.access WHERE person = session_user;
          IF person_role IS NULL OR person_role = 'viewer' THEN
            RAISE EXCEPTION '%', assure.refusal('anything') USING ERRCODE = 'AS004';
          END IF;
          -- A write made on an older state fails at once, without queueing for the lock.
          SELECT id INTO head FROM assure.change_log ORDER BY id DESC LIMIT 1;
          IF base <> coalesce(head, 0) THEN
            RAISE EXCEPTION 'the workspace moved on: the server is at change %, this write was made at %', coalesce(head, 0), base
              USING ERRCODE = 'AS001';
          END IF;
          PERFORM pg_advisory_xact_lock(\(chainLock));
          SELECT id, hash INTO head, head_hash FROM assure.change_log ORDER BY id DESC LIMIT 1;
          head := coalesce(head, 0);
          head_hash := coalesce(head_hash, repeat('0', 64));
          IF base <> head THEN
            RAISE EXCEPTION 'the workspace moved on: the server is at change %, this write was made at %', head, base
              USING ERRCODE = 'AS001';
          END IF;

          -- The change-log rows first: each must continue the chain, hash and all, in the name
          -- of whoever is logged in (an admin may record a change in another name, as --as does).
          expected_prev := head_hash;
          new_head := head;
          FOR change IN
            SELECT value FROM jsonb_array_elements(changes) WHERE value->>'t' = 'change_log'
            ORDER BY coalesce(value->'new'->>'id', value->'old'->>'id')::bigint
          LOOP
            IF change->>'op' <> 'insert' THEN
              RAISE EXCEPTION 'change-log rows are only ever added; this write changes row %', change->'old'->>'id'
                USING ERRCODE = 'AS003';
            END IF;
            r := jsonb_populate_record(NULL::assure.change_log, change->'new');
            IF r.id <> new_head + 1 OR r.prev_hash <> expected_prev OR assure.chain_hash(r) <> r.hash THEN
              RAISE EXCEPTION 'change-log row % does not continue the chain (after row %)', r.id, new_head
                USING ERRCODE = 'AS003';
            END IF;
            IF person_role <> 'admin' AND r.actor <> session_user THEN
              RAISE EXCEPTION 'the change log would name % but % is logged in; only an admin records a change in another name',
                r.actor, session_user USING ERRCODE = 'AS004';
            END IF;
            expected_prev := r.hash;
            new_head := r.id;
          END LOOP;
          IF new_head = head THEN
            RAISE EXCEPTION 'a write without a change-log row is refused' USING ERRCODE = 'AS003';
          END IF;

          FOR change IN SELECT value FROM jsonb_array_elements(changes) LOOP
            t := change->>'t';
            op := change->>'op';
            IF t IN ('meta', 'sync_batch', 'access')
               OR NOT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = 'assure' AND tablename = t) THEN
              RAISE EXCEPTION 'a write may not change %', t USING ERRCODE = 'AS003';
            END IF;
            -- An auditor's only change to evidence is its review.
            IF person_role = 'auditor' AND t = 'evidence' AND (op <> 'update' OR EXISTS (
                 SELECT 1 FROM jsonb_object_keys(change->'new') AS key
                 WHERE key NOT IN (\(ServerRoles.auditorEvidenceColumns.map { "'\($0)'" }.joined(separator: ", "))))) THEN
              RAISE EXCEPTION '%', assure.refusal('evidence (beyond its review)') USING ERRCODE = 'AS004';
            END IF;
            BEGIN
              IF op = 'insert' THEN
                EXECUTE format('INSERT INTO assure.%I SELECT * FROM jsonb_populate_record(NULL::assure.%I, $1)', t, t)
                  USING change->'new';
              ELSE
                -- The key by equality (so the primary key's index finds the row, and the row
                -- policy runs on that row alone), every other value the writer saw as it was.
                SELECT string_agg(format('x.%I = o.%I', a.attname, a.attname), ' AND ') INTO key_conditions
                  FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                  WHERE i.indrelid = format('assure.%I', t)::regclass AND i.indisprimary;
                SELECT string_agg(format(' AND x.%I IS NOT DISTINCT FROM o.%I', key, key), '')
                  INTO conditions FROM jsonb_object_keys(change->'old') AS key;
                conditions := key_conditions || coalesce(conditions, '');
                IF op = 'update' THEN
                  SELECT string_agg(format('%I = n.%I', key, key), ', ')
                    INTO sets FROM jsonb_object_keys(change->'new') AS key;
                  EXECUTE format(
                    'UPDATE assure.%I AS x SET %s FROM jsonb_populate_record(NULL::assure.%I, $1) AS n, '
                    'jsonb_populate_record(NULL::assure.%I, $2) AS o WHERE %s', t, sets, t, t, conditions)
                    USING change->'new', change->'old';
                ELSE
                  EXECUTE format(
                    'DELETE FROM assure.%I AS x USING jsonb_populate_record(NULL::assure.%I, $1) AS o WHERE %s',
                    t, t, conditions)
                    USING change->'old';
                END IF;
                GET DIAGNOSTICS touched = ROW_COUNT;
                IF touched <> 1 THEN
                  -- The row policies hide what this person may not change: name the role then.
                  EXECUTE format('SELECT to_jsonb(x) FROM assure.%I AS x, jsonb_populate_record(NULL::assure.%I, $1) AS o WHERE %s',
                    t, t, key_conditions) INTO current_row USING change->'old';
                  IF current_row IS NOT NULL AND NOT assure.may_write(t, current_row) THEN
                    RAISE EXCEPTION '%', assure.refusal(t) USING ERRCODE = 'AS004';
                  END IF;
                  RAISE EXCEPTION 'a row of % changed on the server while this write was made', t USING ERRCODE = 'AS002';
                END IF;
              END IF;
            EXCEPTION WHEN insufficient_privilege THEN
              RAISE EXCEPTION '%', assure.refusal(t) USING ERRCODE = 'AS004';
            END;
          END LOOP;

          INSERT INTO assure.sync_batch (head, base, person, changes) VALUES (new_head, base, session_user, changes);
          PERFORM pg_notify('assure_changes', new_head::text);
          RETURN new_head;
        END
        $$
        """,
    ]
}
