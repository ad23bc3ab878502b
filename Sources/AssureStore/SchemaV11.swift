import GRDB

/// Schema v11: vendors and the privacy records.
/// - `vendor`: a supplier our controls rest on, with its criticality, the data it holds and when
///   it was last reviewed; `vendor_report`: each SOC 2 report it gave us (type, period, opinion,
///   exceptions, carve-outs, bridge letter, the file in the evidence store) and its review;
///   `vendor_cuec`: the controls its report expects of us, each mapped to one of ours;
///   `vendor_agreement`: DPA, BAA, MSA, NDA with their dates and file.
/// - `processing_activity` (GDPR Art. 30 records) and its recipients among the vendors;
///   `dpia`: impact assessments of an activity, linked to risks; `dsr`: data subject requests
///   with their legal due date, by an opaque reference only (no personal data).
/// Shipped as one migration; never edit it.
enum SchemaV11 {
    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE vendor (
                    id INTEGER PRIMARY KEY,
                    number INTEGER NOT NULL UNIQUE,
                    ref TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    criticality TEXT NOT NULL DEFAULT 'medium' CHECK (criticality IN ('low', 'medium', 'high', 'critical')),
                    data TEXT NOT NULL DEFAULT 'none' CHECK (data IN ('none', 'internal', 'confidential', 'personal', 'phi')),
                    service TEXT NOT NULL DEFAULT '',
                    subprocessor INTEGER NOT NULL DEFAULT 0 CHECK (subprocessor IN (0, 1)),
                    owner_id INTEGER REFERENCES owner(id),
                    reviewed_on TEXT,
                    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
                    created_on TEXT NOT NULL,
                    created_by TEXT NOT NULL
                );
                CREATE TABLE vendor_report (
                    id INTEGER PRIMARY KEY,
                    vendor_id INTEGER NOT NULL REFERENCES vendor(id),
                    type TEXT NOT NULL CHECK (type IN ('1', '2')),
                    period_from TEXT NOT NULL,
                    period_to TEXT NOT NULL,
                    opinion TEXT NOT NULL CHECK (opinion IN ('unqualified', 'qualified', 'adverse', 'disclaimer')),
                    exceptions INTEGER NOT NULL DEFAULT 0 CHECK (exceptions >= 0),
                    carve_outs TEXT NOT NULL DEFAULT '',
                    bridge_until TEXT,
                    sha256 TEXT REFERENCES blob(sha256),
                    file_name TEXT,
                    reviewed_by TEXT,
                    reviewed_on TEXT,
                    review_note TEXT NOT NULL DEFAULT '',
                    added_by TEXT NOT NULL,
                    added_at TEXT NOT NULL,
                    CHECK (period_from <= period_to)
                );
                CREATE INDEX vendor_report_by_vendor ON vendor_report(vendor_id, period_to);
                CREATE TABLE vendor_cuec (
                    id INTEGER PRIMARY KEY,
                    vendor_id INTEGER NOT NULL REFERENCES vendor(id),
                    text TEXT NOT NULL,
                    control_id INTEGER REFERENCES control(id),
                    added_by TEXT NOT NULL,
                    added_at TEXT NOT NULL
                );
                CREATE INDEX vendor_cuec_by_vendor ON vendor_cuec(vendor_id);
                CREATE TABLE vendor_agreement (
                    id INTEGER PRIMARY KEY,
                    vendor_id INTEGER NOT NULL REFERENCES vendor(id),
                    kind TEXT NOT NULL CHECK (kind IN ('dpa', 'baa', 'msa', 'nda')),
                    signed_on TEXT NOT NULL,
                    expires_on TEXT,
                    sha256 TEXT REFERENCES blob(sha256),
                    file_name TEXT,
                    added_by TEXT NOT NULL,
                    added_at TEXT NOT NULL,
                    CHECK (expires_on IS NULL OR signed_on <= expires_on)
                );
                CREATE INDEX vendor_agreement_by_vendor ON vendor_agreement(vendor_id, kind);

                CREATE TABLE processing_activity (
                    id INTEGER PRIMARY KEY,
                    number INTEGER NOT NULL UNIQUE,
                    ref TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    purpose TEXT NOT NULL,
                    basis TEXT NOT NULL CHECK (basis IN ('consent', 'contract', 'legal-obligation', 'vital-interests', 'public-task', 'legitimate-interests')),
                    data_categories TEXT NOT NULL,
                    subjects TEXT NOT NULL,
                    retention TEXT NOT NULL,
                    transfer_country TEXT,
                    mechanism TEXT CHECK (mechanism IS NULL OR mechanism IN ('scc', 'adequacy', 'bcr')),
                    high_risk INTEGER NOT NULL DEFAULT 0 CHECK (high_risk IN (0, 1)),
                    created_on TEXT NOT NULL,
                    created_by TEXT NOT NULL,
                    CHECK ((transfer_country IS NULL) = (mechanism IS NULL))
                );
                CREATE TABLE processing_recipient (
                    processing_id INTEGER NOT NULL REFERENCES processing_activity(id) ON DELETE CASCADE,
                    vendor_id INTEGER NOT NULL REFERENCES vendor(id),
                    PRIMARY KEY (processing_id, vendor_id)
                ) WITHOUT ROWID;
                CREATE TABLE dpia (
                    id INTEGER PRIMARY KEY,
                    number INTEGER NOT NULL UNIQUE,
                    ref TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    processing_id INTEGER NOT NULL REFERENCES processing_activity(id),
                    outcome TEXT NOT NULL CHECK (outcome IN ('acceptable', 'acceptable-with-measures', 'not-acceptable')),
                    summary TEXT NOT NULL DEFAULT '',
                    assessed_on TEXT NOT NULL,
                    next_review TEXT,
                    assessed_by TEXT NOT NULL,
                    added_at TEXT NOT NULL
                );
                CREATE INDEX dpia_by_processing ON dpia(processing_id);
                CREATE TABLE dpia_risk (
                    dpia_id INTEGER NOT NULL REFERENCES dpia(id) ON DELETE CASCADE,
                    risk_id INTEGER NOT NULL REFERENCES risk(id),
                    PRIMARY KEY (dpia_id, risk_id)
                ) WITHOUT ROWID;
                CREATE TABLE dsr (
                    id INTEGER PRIMARY KEY,
                    number INTEGER NOT NULL UNIQUE,
                    ref TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    kind TEXT NOT NULL CHECK (kind IN ('access', 'rectification', 'erasure', 'portability', 'objection', 'restriction')),
                    received_on TEXT NOT NULL,
                    subject_ref TEXT NOT NULL DEFAULT '',
                    due_on TEXT NOT NULL,
                    extended_to TEXT,
                    extension_reason TEXT NOT NULL DEFAULT '',
                    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'completed', 'refused')),
                    closed_on TEXT,
                    closing_note TEXT NOT NULL DEFAULT '',
                    sha256 TEXT REFERENCES blob(sha256),
                    file_name TEXT,
                    opened_by TEXT NOT NULL,
                    opened_at TEXT NOT NULL,
                    CHECK (extended_to IS NULL OR extension_reason <> ''),
                    CHECK (status = 'open' OR closed_on IS NOT NULL)
                );
                CREATE INDEX dsr_by_status ON dsr(status, due_on);
                """)
    }
}
