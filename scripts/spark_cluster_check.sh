#!/usr/bin/env bash
# Issue 16, item 7: the Spark job on a standalone Spark cluster gives the same Parquet
# as local mode.
#
# Starts a master and two workers (1 core, 1 GB each) from the pyspark installation
# in .venv, all on 127.0.0.1, spark-submits the job to spark://127.0.0.1:$SPARK_PORT,
# runs the same job in local mode, compares the two outputs row for row, and stops
# the cluster (also on failure or Ctrl-C). About 1-2 minutes; .ci/run calls it.
#
#   bash scripts/spark_cluster_check.sh [INPUT.jsonl]     # default: examples/wire.jsonl + bad rows
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="${PY:-$ROOT/.venv/bin/python}"
PORT="${SPARK_PORT:-7077}"
SPARK_HOME="$("$PY" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')"
export SPARK_HOME PYSPARK_PYTHON="$PY" PYSPARK_DRIVER_PYTHON="$PY"
export SPARK_LOCAL_IP=127.0.0.1 SPARK_MASTER_HOST=127.0.0.1 OMP_NUM_THREADS=1
WORK="$(mktemp -d /tmp/whosaid-spark-XXXXXX)"
PIDS=()
cleanup() {
    rc=$?
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    if [ "$rc" != 0 ]; then  # keep the logs of a failed run
        rm -rf /tmp/whosaid-spark-failed && cp -r "$WORK" /tmp/whosaid-spark-failed 2>/dev/null || true
        echo "logs kept in /tmp/whosaid-spark-failed" >&2
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

INPUT="${1:-}"
if [ -z "$INPUT" ]; then
    INPUT="$WORK/in.jsonl"
    cat "$ROOT/examples/wire.jsonl" > "$INPUT"
    printf '%s\n' '{"id": "bad-empty", "text": ""}' '{not json' '{"id": "no-text"}' >> "$INPUT"
fi

CLASS="$SPARK_HOME/bin/spark-class"
"$CLASS" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$PORT" \
    --webui-port 0 > "$WORK/master.log" 2>&1 &
PIDS+=($!)
for n in 1 2; do
    mkdir -p "$WORK/worker$n"
    "$CLASS" org.apache.spark.deploy.worker.Worker "spark://127.0.0.1:$PORT" --cores 1 \
        --memory 1g --host 127.0.0.1 --webui-port 0 --work-dir "$WORK/worker$n" \
        > "$WORK/worker$n.log" 2>&1 &
    PIDS+=($!)
done
for _ in $(seq 1 300); do  # both workers registered with the master (JVM start: ~30 s)
    [ "$(grep -c "Registering worker" "$WORK/master.log" || true)" -ge 2 ] && break
    sleep 1
done
[ "$(grep -c "Registering worker" "$WORK/master.log" || true)" -ge 2 ] || {
    echo "the Spark workers did not register; master log:" >&2; tail -20 "$WORK/master.log" >&2
    exit 1; }

printf 'import sys\nfrom whosaid.spark import main\nsys.exit(main(sys.argv[1:]))\n' > "$WORK/job.py"
echo "cluster: spark-submit --master spark://127.0.0.1:$PORT (2 workers x 1 core x 1g)" >&2
"$SPARK_HOME/bin/spark-submit" --master "spark://127.0.0.1:$PORT" \
    --conf spark.executor.memory=1g --conf spark.executor.cores=1 --conf spark.cores.max=2 \
    --conf spark.driver.host=127.0.0.1 --conf spark.ui.enabled=false \
    --conf "spark.pyspark.python=$PY" --conf "spark.pyspark.driver.python=$PY" \
    "$WORK/job.py" "$INPUT" "$WORK/cluster" --partitions 2 > "$WORK/cluster.json" \
    2> "$WORK/cluster.err" || { tail -30 "$WORK/cluster.err" >&2; exit 1; }
echo "local: python -m whosaid.spark --master local[2]" >&2
"$PY" -m whosaid.spark "$INPUT" "$WORK/local" --partitions 2 --master "local[2]" \
    > "$WORK/local.json" 2> "$WORK/local.err" || { tail -30 "$WORK/local.err" >&2; exit 1; }

"$PY" - "$WORK" <<'PY'
import json, sys
from pathlib import Path
import pyarrow.parquet as pq

work = Path(sys.argv[1])
def rows(name):
    table = pq.read_table(work / name)
    return sorted(table.to_pylist(), key=lambda r: (r["name"] or "", r["text"]))
cluster, local = rows("cluster"), rows("local")
# the JSON line is the last on stdout (spark-submit may mix the driver's stderr in)
reports = [json.loads((work / f).read_text().strip().splitlines()[-1])
           for f in ("cluster.json", "local.json")]
assert reports[0] == reports[1], reports
assert cluster == local, "the cluster's Parquet differs from local mode's"
assert cluster and all(r["text"] for r in cluster)
print(f"standalone cluster == local mode: {len(cluster)} documents, "
      f"{reports[0]['bad']} bad rows, {sum(len(r['attributions']) for r in cluster)} attributions")
PY
