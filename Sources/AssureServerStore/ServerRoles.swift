import AssureStore
import Foundation

/// Who may change what on a server workspace, enforced by PostgreSQL itself, so that a client
/// with a modified binary, or raw SQL, cannot exceed its role:
/// - every person is a login role and a member of the workspace's member role, which may read
///   every table and call `assure.apply_batch` and `assure.set_access`, and write nothing;
/// - `apply_batch` runs as the workspace's writer role (not the tables' owner, so row-level
///   security applies to it), whose policies let each person change only what their role allows
///   (`assure.may_write`); the function also names the role that would allow a refused change;
/// - `assure.access` says each person's role: admin, editor, owner (of the assure owner record
///   it names), auditor or viewer. Only an admin changes it, through `assure.set_access`, which
///   writes the change-log row itself.
/// The tables' owner (whoever copied the workspace there) is the database's administrator and,
/// as any owner of a PostgreSQL table, is not bound by these rules.
package enum ServerRoles {
    static let roles = ["admin", "editor", "owner", "auditor", "viewer"]
    /// Evidence columns an auditor may change: the review.
    static let auditorEvidenceColumns = ["review", "review_note", "reviewed_by", "reviewed_at"]
    /// Tables an auditor may write: the requests and their links, and the evidence review.
    static let auditorTables = ["evidence", "audit_request", "audit_request_control", "audit_request_requirement", "audit_request_evidence"]

    /// The cluster-wide names of the workspace's two roles, from its database's name.
    package static func memberRole(_ database: String) -> String { "assure_\(roleStem(database))_member" }
    static func writerRole(_ database: String) -> String { "assure_\(roleStem(database))_writer" }

    /// The database's name where it fits PostgreSQL's 63-byte names; a longer one is cut and
    /// given a digest of the whole, so two long names that begin alike never share a role.
    static func roleStem(_ database: String) -> String {
        guard database.utf8.count > 40 else { return database }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
        for byte in database.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        var prefix = ""
        for character in database {
            if prefix.utf8.count + character.utf8.count > 28 { break }
            prefix.append(character)
        }
        return prefix + "_" + String(hash, radix: 16)
    }

    static func statements(database: String, shapes: [TableShape]) -> [String] {
        let member = Workspace.quoted(memberRole(database))
        let writer = Workspace.quoted(writerRole(database))
        let memberName = memberRole(database).replacingOccurrences(of: "'", with: "''")
        let writerName = writerRole(database).replacingOccurrences(of: "'", with: "''")
        var statements = [
            """
            DO $$ BEGIN
              IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '\(memberName)') THEN CREATE ROLE \(member) NOLOGIN; END IF;
              IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '\(writerName)') THEN CREATE ROLE \(writer) NOLOGIN; END IF;
            END $$
            """,
            "GRANT \(writer) TO CURRENT_USER",
            """
            CREATE TABLE assure.access (
              person text PRIMARY KEY,
              role text NOT NULL CHECK (role IN (\(roles.map { "'\($0)'" }.joined(separator: ", ")))),
              owner_name text
            )
            """,
            "INSERT INTO assure.access (person, role) VALUES (session_user, 'admin')",
            "REVOKE ALL ON SCHEMA assure FROM PUBLIC",
            "GRANT USAGE ON SCHEMA assure TO \(member), \(writer)",
            "GRANT SELECT ON ALL TABLES IN SCHEMA assure TO \(member), \(writer)",
            "GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA assure TO \(writer)",
            "REVOKE INSERT, UPDATE, DELETE ON assure.meta, assure.access FROM \(writer)",
            mayWrite,
            refusal,
        ]
        for table in shapes.map(\.name) + ["sync_batch", "access", "meta"] {
            let name = ServerSchema.qualified(table)
            statements.append("ALTER TABLE \(name) ENABLE ROW LEVEL SECURITY")
            statements.append("CREATE POLICY everyone_reads ON \(name) FOR SELECT TO \(member), \(writer) USING (true)")
            if table == "access" || table == "meta" { continue }
            let row = "to_jsonb(\(Workspace.quoted(table)).*)"
            let literal = "'\(table.replacingOccurrences(of: "'", with: "''"))'"
            statements.append(
                "CREATE POLICY role_allows ON \(name) FOR ALL TO \(writer) USING (assure.may_write(\(literal), \(row))) WITH CHECK (assure.may_write(\(literal), \(row)))"
            )
        }
        statements += [
            "REVOKE ALL ON ALL FUNCTIONS IN SCHEMA assure FROM PUBLIC",
            "GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA assure TO \(member), \(writer)",
            // A new owner needs CREATE on the function's schema (unless a superuser does this):
            // granted for the change only.
            "GRANT CREATE ON SCHEMA assure TO \(writer)",
            "ALTER FUNCTION assure.apply_batch(bigint, jsonb) OWNER TO \(writer)",
            "REVOKE CREATE ON SCHEMA assure FROM \(writer)",
            setAccess(member: member),
            "REVOKE ALL ON FUNCTION assure.set_access(text, text, text) FROM PUBLIC",
            "GRANT EXECUTE ON FUNCTION assure.set_access(text, text, text) TO \(member)",
        ]
        return statements
    }

    /// Whether the person logged in may hold this row (before and after a change) in table `t`.
    static let mayWrite = """
        CREATE FUNCTION assure.may_write(t text, r jsonb) RETURNS boolean
        LANGUAGE plpgsql STABLE SET search_path = pg_catalog, assure AS $$
        DECLARE
          person_role text;
          me bigint;
        BEGIN
          SELECT a.role, o.id INTO person_role, me
            FROM assure.access a LEFT JOIN assure.owner o ON lower(o.name) = lower(a.owner_name)
            WHERE a.person = session_user;
          IF person_role IN ('admin', 'editor') THEN RETURN true; END IF;
          IF t IN ('change_log', 'sync_batch') THEN RETURN person_role IN ('owner', 'auditor'); END IF;
          IF person_role = 'auditor' THEN
            RETURN t IN (\(auditorTables.map { "'\($0)'" }.joined(separator: ", ")));
          END IF;
          IF person_role = 'owner' AND me IS NOT NULL THEN
            RETURN CASE t
              WHEN 'control' THEN (r->>'owner_id')::bigint = me
              WHEN 'gap' THEN (r->>'owner_id')::bigint = me
                OR EXISTS (SELECT 1 FROM assure.control c WHERE c.id = (r->>'control_id')::bigint AND c.owner_id = me)
              WHEN 'evidence' THEN
                EXISTS (SELECT 1 FROM assure.control c WHERE c.id = (r->>'control_id')::bigint AND c.owner_id = me)
              WHEN 'evidence_file' THEN EXISTS (
                SELECT 1 FROM assure.evidence e JOIN assure.control c ON c.id = e.control_id
                WHERE e.id = (r->>'evidence_id')::bigint AND c.owner_id = me)
              WHEN 'blob' THEN true
              WHEN 'blob_chunk' THEN true
              ELSE false
            END;
          END IF;
          RETURN false;
        END
        $$
        """

    /// Why the person logged in may not make a change to `t`, naming the role that may.
    static let refusal = """
        CREATE FUNCTION assure.refusal(t text) RETURNS text
        LANGUAGE plpgsql STABLE SET search_path = pg_catalog, assure AS $$
        DECLARE
          person_role text;
          owner_name text;
        BEGIN
          SELECT a.role, a.owner_name INTO person_role, owner_name FROM assure.access a WHERE a.person = session_user;
          RETURN CASE person_role
            WHEN 'viewer' THEN format('%s is a viewer, who changes nothing; an editor or admin may make this change', session_user)
            WHEN 'auditor' THEN format(
              '%s is an auditor, who reviews evidence and handles audit requests only; an editor or admin may change %s', session_user, t)
            WHEN 'owner' THEN format(
              '%s is an owner (%s), who changes only the controls, gaps and evidence they own; this %s is not theirs: an editor or admin may change it',
              session_user, coalesce(owner_name, 'no owner record named'), t)
            ELSE format('%s has no access to this workspace; an admin grants it (assure access grant %s ROLE)', session_user, session_user)
          END;
        END
        $$
        """

    /// A quoted role name inside a PL/pgSQL format() string literal.
    private static func literal(_ identifier: String) -> String {
        identifier.replacingOccurrences(of: "'", with: "''").replacingOccurrences(of: "%", with: "%%")
    }

    /// Grants, changes or (with a NULL role) revokes a person's access, writing the change-log
    /// row itself, and hands that row to the other copies like any write.
    static func setAccess(member: String) -> String {
        """
        CREATE FUNCTION assure.set_access(who text, new_role text, owner_record text) RETURNS bigint
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, assure AS $$
        DECLARE
          caller_role text;
          old_role text;
          head bigint;
          head_hash text;
          next_batch bigint;
          r assure.change_log;
        BEGIN
          SELECT role INTO caller_role FROM assure.access WHERE person = session_user;
          IF caller_role IS DISTINCT FROM 'admin' THEN
            RAISE EXCEPTION '%''s role is %; only an admin grants or revokes access', session_user,
              coalesce(caller_role, 'none (not a member of this workspace)') USING ERRCODE = 'AS004';
          END IF;
          IF who = session_user AND new_role IS DISTINCT FROM 'admin' THEN
            RAISE EXCEPTION 'an admin cannot take away their own admin role (another admin can)' USING ERRCODE = 'AS004';
          END IF;
          IF new_role = 'owner' AND NOT EXISTS (SELECT 1 FROM assure.owner o WHERE lower(o.name) = lower(owner_record)) THEN
            RAISE EXCEPTION 'an owner is granted with the owner record they are (--owner NAME); % is not one', coalesce(owner_record, 'none')
              USING ERRCODE = 'AS005';
          END IF;
          PERFORM pg_advisory_xact_lock(\(ServerFunctions.chainLock));
          SELECT role INTO old_role FROM assure.access WHERE person = who;
          IF new_role IS NULL THEN
            IF old_role IS NULL THEN
              RAISE EXCEPTION '% has no access to revoke', who USING ERRCODE = 'AS005';
            END IF;
            DELETE FROM assure.access WHERE person = who;
            EXECUTE format('REVOKE \(literal(member)) FROM %I', who);
          ELSE
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = who) THEN
              EXECUTE format('CREATE ROLE %I LOGIN', who);
            END IF;
            EXECUTE format('GRANT \(literal(member)) TO %I', who);
            INSERT INTO assure.access (person, role, owner_name) VALUES (who, new_role, CASE WHEN new_role = 'owner' THEN owner_record END)
              ON CONFLICT (person) DO UPDATE SET role = excluded.role, owner_name = excluded.owner_name;
          END IF;
          SELECT id, hash INTO head, head_hash FROM assure.change_log ORDER BY id DESC LIMIT 1;
          SELECT coalesce(max(batch), 0) + 1 INTO next_batch FROM assure.change_log;
          r.id := coalesce(head, 0) + 1;
          r.at := to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"');
          r.actor := session_user;
          r.entity := 'access';
          r.ref := who;
          r.field := 'role';
          r.before := old_role;
          r.after := CASE WHEN new_role = 'owner' THEN 'owner (' || owner_record || ')' ELSE new_role END;
          r.batch := next_batch;
          r.prev_hash := coalesce(head_hash, repeat('0', 64));
          r.hash := assure.chain_hash(r);
          INSERT INTO assure.change_log SELECT r.*;
          INSERT INTO assure.sync_batch (head, base, person, changes)
            VALUES (r.id, coalesce(head, 0), session_user,
                    jsonb_build_array(jsonb_build_object('t', 'change_log', 'op', 'insert', 'old', '{}'::jsonb,
                      'new', jsonb_strip_nulls(to_jsonb(r)))));
          PERFORM pg_notify('assure_changes', r.id::text);
          RETURN r.id;
        END
        $$
        """
    }
}
