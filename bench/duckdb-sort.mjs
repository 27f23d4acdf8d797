// DuckDB baseline: read the NDJSON, ORDER BY visit_id, event_time, write JSON lines.
// Usage: DUCKDB_NODE_API=<module URL> node bench/duckdb-sort.mjs INPUT OUTPUT TEMP_DIR
// (pipeline-vs-sort.mjs installs @duckdb/node-api into bench/.duckdb and sets the URL.)
const { DuckDBInstance } = await import(process.env.DUCKDB_NODE_API ?? '@duckdb/node-api');

const [input, output, tempDir] = process.argv.slice(2);
const db = await DuckDBInstance.create(':memory:', { temp_directory: tempDir });
const connection = await db.connect();
const quote = (s) => `'${s.replaceAll("'", "''")}'`;
await connection.run(
  `COPY (SELECT * FROM read_json(${quote(input)}, format = 'newline_delimited') ORDER BY visit_id, event_time) TO ${quote(output)} (FORMAT json)`,
);
