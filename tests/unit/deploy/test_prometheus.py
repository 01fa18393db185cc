"""deploy/prometheus.yml and its alert rules: every service's /metrics on its compose name and port, the
rules file mounted where the config names it, and each rule on a metric the services (or RabbitMQ) export."""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
PORTS = {"application": 8001, "platform": 8002, "issuance": 8003, "notifier": 8004}
DOCS = (ROOT / "docs" / "operations-metrics.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def config() -> dict:
    return yaml.safe_load((ROOT / "deploy" / "prometheus.yml").read_text(encoding="utf-8"))


def test_every_service_is_scraped_on_its_compose_name_and_port(config, compose):
    job = next(j for j in config["scrape_configs"] if j["job_name"] == "esurety")
    targets = {c["labels"]["service"]: c["targets"] for c in job["static_configs"]}
    assert targets == {name: [f"{name}:{port}"] for name, port in PORTS.items()}
    for name, port in PORTS.items():
        assert compose["services"][name]["environment"][f"{name.upper()}_{'HEALTH' if name == 'notifier' else 'HTTP'}_PORT"] == str(port)


def test_prometheus_runs_in_compose_with_the_config_and_the_rules_mounted(config, compose):
    prometheus = compose["services"]["prometheus"]
    assert prometheus["image"].startswith("prom/prometheus:")
    mounts = {v.split(":")[1]: v.split(":")[0] for v in prometheus["volumes"] if v.startswith("./")}
    assert mounts["/etc/prometheus/prometheus.yml"] == "./deploy/prometheus.yml"
    assert config["rule_files"] == ["/etc/prometheus/prometheus-alerts.yml"]
    assert mounts["/etc/prometheus/prometheus-alerts.yml"] == "./deploy/prometheus-alerts.yml"


def test_each_alert_is_on_a_documented_metric():
    rules = yaml.safe_load((ROOT / "deploy" / "prometheus-alerts.yml").read_text(encoding="utf-8"))
    alerts = [rule for group in rules["groups"] for rule in group["rules"]]
    assert {"EsuretyOutboxStuck", "EsuretyDeadLetters", "EsuretyQueueWithoutConsumer", "EsuretyEmailFailed"} <= {
        a["alert"] for a in alerts
    }
    for alert in alerts:
        for metric in re.findall(r"\b((?:esurety|rabbitmq)_[a-z_]+)", alert["expr"]):
            assert f"`{metric}`" in DOCS, (alert["alert"], metric)
        assert alert["annotations"]["summary"]
