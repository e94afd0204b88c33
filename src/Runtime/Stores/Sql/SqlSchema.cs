namespace Qlib.Tracked.Stores.Sql;

/// <summary>
/// MLflow 2.12's tracking database schema (alembic head <see cref="Revision"/>), statement for statement as MLflow's
/// migrations leave it on SQLite (the fixture's <c>schema.sql</c>, in dependency order), and its PostgreSQL form:
/// the experiment id becomes a <c>SERIAL</c> (MLflow's autoincrement) and booleans are native, so their
/// <c>CHECK (is_nan IN (0, 1))</c> constraints do not exist there.
/// </summary>
internal static class SqlSchema
{
    /// <summary>The alembic revision MLflow 2.12 creates and requires.</summary>
    public const string Revision = "acf3f17fdcc7";

    /// <summary>
    /// The revisions before <see cref="Revision"/> (MLflow 2.12's migration chain, oldest first): a database at one of
    /// them was made by an older MLflow and is upgraded with <c>mlflow db upgrade</c>. Any other revision comes from a
    /// newer MLflow.
    /// </summary>
    public static readonly string[] OlderRevisions =
    [
        "451aebb31d03", "90e64c465722", "181f10493468", "df50e92ffc5e", "7ac759974ad8", "89d4b8295536", "2b4d017a5e9b",
        "cfd24bdc0731", "0a8213491aaa", "728d730b5ebd", "27a6a02d2cf1", "84291f40a231", "a8c4a736bde6", "39d1c3be5f05",
        "c48cb773bb87", "bd07f7e963c5", "0c779009ac13", "cc1f77228345", "97727af70f4d", "3500859a5d39", "7f2a7d5fae7d",
        "2d6e25af4d3e",
    ];

    /// <summary>The tracking columns this store reads, per table: a newer MLflow's database must still have them to be read.</summary>
    public static readonly (string Table, string[] Columns)[] ColumnsRead =
    [
        ("experiments", ["experiment_id", "name", "artifact_location", "lifecycle_stage", "creation_time", "last_update_time"]),
        ("experiment_tags", ["key", "value", "experiment_id"]),
        ("runs", ["run_uuid", "experiment_id", "name", "user_id", "status", "start_time", "end_time", "artifact_uri", "lifecycle_stage", "deleted_time"]),
        ("metrics", ["key", "value", "timestamp", "run_uuid", "step", "is_nan"]),
        ("latest_metrics", ["key", "value", "timestamp", "step", "is_nan", "run_uuid"]),
        ("params", ["key", "value", "run_uuid"]),
        ("tags", ["key", "value", "run_uuid"]),
        ("inputs", ["input_uuid", "source_type", "source_id", "destination_type", "destination_id"]),
        ("input_tags", ["input_uuid", "name", "value"]),
        ("datasets", ["dataset_uuid", "name", "digest", "dataset_source_type", "dataset_source", "dataset_schema", "dataset_profile"]),
    ];

    /// <summary>Every table MLflow 2.12 creates (its tracking and model-registry tables and <c>alembic_version</c>).</summary>
    public static readonly string[] Tables =
        ["experiments", "experiment_tags", "runs", "metrics", "latest_metrics", "params", "tags", "datasets", "inputs", "input_tags", "registered_models", "model_versions", "registered_model_tags", "model_version_tags", "registered_model_aliases", "alembic_version"];

    private static readonly string[] SqliteStatements =
    [
        """
        CREATE TABLE experiments (
        	experiment_id INTEGER NOT NULL, 
        	name VARCHAR(256) NOT NULL, 
        	artifact_location VARCHAR(256), 
        	lifecycle_stage VARCHAR(32), creation_time BIGINT, last_update_time BIGINT, 
        	CONSTRAINT experiment_pk PRIMARY KEY (experiment_id), 
        	CONSTRAINT experiments_lifecycle_stage CHECK (lifecycle_stage IN ('active', 'deleted')), 
        	UNIQUE (name)
        )
        """,
        """
        CREATE TABLE experiment_tags (
        	"key" VARCHAR(250) NOT NULL, 
        	value VARCHAR(5000), 
        	experiment_id INTEGER NOT NULL, 
        	CONSTRAINT experiment_tag_pk PRIMARY KEY ("key", experiment_id), 
        	FOREIGN KEY(experiment_id) REFERENCES experiments (experiment_id)
        )
        """,
        """
        CREATE TABLE "runs" (
        	run_uuid VARCHAR(32) NOT NULL, 
        	name VARCHAR(250), 
        	source_type VARCHAR(20), 
        	source_name VARCHAR(500), 
        	entry_point_name VARCHAR(50), 
        	user_id VARCHAR(256), 
        	status VARCHAR(9), 
        	start_time BIGINT, 
        	end_time BIGINT, 
        	source_version VARCHAR(50), 
        	lifecycle_stage VARCHAR(20), 
        	artifact_uri VARCHAR(200), 
        	experiment_id INTEGER, deleted_time BIGINT, 
        	CONSTRAINT run_pk PRIMARY KEY (run_uuid), 
        	CONSTRAINT runs_lifecycle_stage CHECK (lifecycle_stage IN ('active', 'deleted')), 
        	CONSTRAINT source_type CHECK (source_type IN ('NOTEBOOK', 'JOB', 'LOCAL', 'UNKNOWN', 'PROJECT')), 
        	CHECK (status IN ('SCHEDULED', 'FAILED', 'FINISHED', 'RUNNING', 'KILLED')), 
        	FOREIGN KEY(experiment_id) REFERENCES experiments (experiment_id)
        )
        """,
        """
        CREATE TABLE "metrics" (
        	"key" VARCHAR(250) NOT NULL, 
        	value FLOAT NOT NULL, 
        	timestamp BIGINT NOT NULL, 
        	run_uuid VARCHAR(32) NOT NULL, 
        	step BIGINT DEFAULT '0' NOT NULL, 
        	is_nan BOOLEAN DEFAULT '0' NOT NULL, 
        	CONSTRAINT metric_pk PRIMARY KEY ("key", timestamp, step, run_uuid, value, is_nan), 
        	CHECK (is_nan IN (0, 1)), 
        	FOREIGN KEY(run_uuid) REFERENCES runs (run_uuid)
        )
        """,
        """
        CREATE TABLE "latest_metrics" (
        	"key" VARCHAR(250) NOT NULL, 
        	value FLOAT NOT NULL, 
        	timestamp BIGINT, 
        	step BIGINT NOT NULL, 
        	is_nan BOOLEAN NOT NULL, 
        	run_uuid VARCHAR(32) NOT NULL, 
        	CONSTRAINT latest_metric_pk PRIMARY KEY ("key", run_uuid), 
        	CHECK (is_nan IN (0, 1)), 
        	FOREIGN KEY(run_uuid) REFERENCES runs (run_uuid)
        )
        """,
        """
        CREATE TABLE "params" (
        	"key" VARCHAR(250) NOT NULL, 
        	value VARCHAR(8000) NOT NULL, 
        	run_uuid VARCHAR(32) NOT NULL, 
        	CONSTRAINT param_pk PRIMARY KEY ("key", run_uuid), 
        	FOREIGN KEY(run_uuid) REFERENCES runs (run_uuid)
        )
        """,
        """
        CREATE TABLE "tags" (
        	"key" VARCHAR(250) NOT NULL, 
        	value VARCHAR(5000), 
        	run_uuid VARCHAR(32) NOT NULL, 
        	CONSTRAINT tag_pk PRIMARY KEY ("key", run_uuid), 
        	FOREIGN KEY(run_uuid) REFERENCES runs (run_uuid)
        )
        """,
        """
        CREATE TABLE datasets (
        	dataset_uuid VARCHAR(36) NOT NULL, 
        	experiment_id INTEGER NOT NULL, 
        	name VARCHAR(500) NOT NULL, 
        	digest VARCHAR(36) NOT NULL, 
        	dataset_source_type VARCHAR(36) NOT NULL, 
        	dataset_source TEXT NOT NULL, 
        	dataset_schema TEXT, 
        	dataset_profile TEXT, 
        	CONSTRAINT dataset_pk PRIMARY KEY (experiment_id, name, digest), 
        	FOREIGN KEY(experiment_id) REFERENCES experiments (experiment_id)
        )
        """,
        """
        CREATE TABLE inputs (
        	input_uuid VARCHAR(36) NOT NULL, 
        	source_type VARCHAR(36) NOT NULL, 
        	source_id VARCHAR(36) NOT NULL, 
        	destination_type VARCHAR(36) NOT NULL, 
        	destination_id VARCHAR(36) NOT NULL, 
        	CONSTRAINT inputs_pk PRIMARY KEY (source_type, source_id, destination_type, destination_id)
        )
        """,
        """
        CREATE TABLE input_tags (
        	input_uuid VARCHAR(36) NOT NULL, 
        	name VARCHAR(255) NOT NULL, 
        	value VARCHAR(500) NOT NULL, 
        	CONSTRAINT input_tags_pk PRIMARY KEY (input_uuid, name)
        )
        """,
        """
        CREATE TABLE registered_models (
        	name VARCHAR(256) NOT NULL, 
        	creation_time BIGINT, 
        	last_updated_time BIGINT, 
        	description VARCHAR(5000), 
        	CONSTRAINT registered_model_pk PRIMARY KEY (name), 
        	UNIQUE (name)
        )
        """,
        """
        CREATE TABLE "model_versions" (
        	name VARCHAR(256) NOT NULL, 
        	version INTEGER NOT NULL, 
        	creation_time BIGINT, 
        	last_updated_time BIGINT, 
        	description VARCHAR(5000), 
        	user_id VARCHAR(256), 
        	current_stage VARCHAR(20), 
        	source VARCHAR(500), 
        	run_id VARCHAR(32), 
        	status VARCHAR(20), 
        	status_message VARCHAR(500), 
        	run_link VARCHAR(500), storage_location VARCHAR(500), 
        	CONSTRAINT model_version_pk PRIMARY KEY (name, version), 
        	FOREIGN KEY(name) REFERENCES registered_models (name) ON UPDATE CASCADE
        )
        """,
        """
        CREATE TABLE registered_model_tags (
        	"key" VARCHAR(250) NOT NULL, 
        	value VARCHAR(5000), 
        	name VARCHAR(256) NOT NULL, 
        	CONSTRAINT registered_model_tag_pk PRIMARY KEY ("key", name), 
        	FOREIGN KEY(name) REFERENCES registered_models (name) ON UPDATE cascade
        )
        """,
        """
        CREATE TABLE model_version_tags (
        	"key" VARCHAR(250) NOT NULL, 
        	value VARCHAR(5000), 
        	name VARCHAR(256) NOT NULL, 
        	version INTEGER NOT NULL, 
        	CONSTRAINT model_version_tag_pk PRIMARY KEY ("key", name, version), 
        	FOREIGN KEY(name, version) REFERENCES model_versions (name, version) ON UPDATE cascade
        )
        """,
        """
        CREATE TABLE registered_model_aliases (
        	alias VARCHAR(256) NOT NULL, 
        	version INTEGER NOT NULL, 
        	name VARCHAR(256) NOT NULL, 
        	CONSTRAINT registered_model_alias_pk PRIMARY KEY (name, alias), 
        	CONSTRAINT registered_model_alias_name_fkey FOREIGN KEY(name) REFERENCES registered_models (name) ON DELETE cascade ON UPDATE cascade
        )
        """,
        """
        CREATE TABLE alembic_version (
        	version_num VARCHAR(32) NOT NULL, 
        	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
        )
        """,
        """
        CREATE INDEX index_datasets_dataset_uuid ON datasets (dataset_uuid)
        """,
        """
        CREATE INDEX index_datasets_experiment_id_dataset_source_type ON datasets (experiment_id, dataset_source_type)
        """,
        """
        CREATE INDEX index_inputs_destination_type_destination_id_source_type ON inputs (destination_type, destination_id, source_type)
        """,
        """
        CREATE INDEX index_inputs_input_uuid ON inputs (input_uuid)
        """,
        """
        CREATE INDEX index_latest_metrics_run_uuid ON latest_metrics (run_uuid)
        """,
        """
        CREATE INDEX index_metrics_run_uuid ON metrics (run_uuid)
        """,
        """
        CREATE INDEX index_params_run_uuid ON params (run_uuid)
        """,
        """
        CREATE INDEX index_tags_run_uuid ON tags (run_uuid)
        """,
    ];

    /// <summary>The statements that create an empty MLflow 2.12 database, then record its revision.</summary>
    public static IReadOnlyList<string> CreateStatements(SqlEngine engine)
    {
        var statements = new List<string>(SqliteStatements.Length + 1);
        foreach (var statement in SqliteStatements)
            statements.Add(engine == SqlEngine.Sqlite ? statement : ToPostgres(statement));
        statements.Add($"INSERT INTO alembic_version (version_num) VALUES ('{Revision}')");
        return statements;
    }

    private static string ToPostgres(string statement) => statement
        .Replace("experiment_id INTEGER NOT NULL, \n\tname VARCHAR(256) NOT NULL", "experiment_id SERIAL NOT NULL, \n\tname VARCHAR(256) NOT NULL", StringComparison.Ordinal)
        .Replace("\tCHECK (is_nan IN (0, 1)), \n", "", StringComparison.Ordinal);
}
