"""One local Spark session for the whole run (start-up takes 20-60 s here),
bound to loopback, with libglove reaching the executors through
glove.spark.ship_library: the executors' GLOVE_LIBRARY is emptied so they can
only load the shipped copy."""
import os
import shutil
import sys
import tempfile

import pytest

# Test the package in this source tree.
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
os.environ["PYSPARK_PYTHON"] = sys.executable
os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable


@pytest.fixture(scope="session")
def spark():
    from pyspark.sql import SparkSession

    import glove.spark

    scratch = tempfile.mkdtemp(prefix="glove-spark-tests-")
    session = (SparkSession.builder.master("local[2]").appName("glove-spark-tests")
               .config("spark.driver.host", "127.0.0.1")
               .config("spark.driver.bindAddress", "127.0.0.1")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "4")
               .config("spark.sql.warehouse.dir", os.path.join(scratch, "warehouse"))
               .config("spark.local.dir", scratch)
               .config("spark.executorEnv.GLOVE_LIBRARY", "")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    glove.spark.ship_library(session)
    yield session
    session.stop()
    shutil.rmtree(scratch, ignore_errors=True)
