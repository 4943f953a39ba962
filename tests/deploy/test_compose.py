"""compose.yaml runs the documented stack: images, health checks, ports, volumes, config mounts, no secrets."""

import re
from pathlib import Path, PurePosixPath

import yaml

from core.params import load_params
from devkit.project import REPO
from tests.deploy.conftest import VARIABLE, interpolate, read_env_example

EXPECTED_SERVICES = {"agent", "tfidf", "transformer", "mlflow", "prometheus", "grafana"}
SECRET_NAMES = re.compile(r"PASSWORD|SECRET|TOKEN|KEY")
PORT_ROW = re.compile(r"^\|\s*`(\w+)`\s*\|\s*(\d+|internal)\s*\|", re.MULTILINE)


def mounts(service: dict) -> dict[str, str]:
    """Container path -> host path (or volume name) of a service's volumes."""
    pairs = (volume.split(":")[:2] for volume in service.get("volumes", []))
    return {container: host for host, container in pairs}


def documented_ports() -> dict[str, str]:
    """The `| service | host port |` table of docs/deploy.md."""
    return dict(PORT_ROW.findall((REPO / "docs" / "deploy.md").read_text()))


def test_stack_has_every_service_with_an_image_healthcheck_and_restart_policy(compose: dict) -> None:
    services = compose["services"]
    assert set(services) == EXPECTED_SERVICES
    for name, service in services.items():
        assert service.get("image") or service.get("build"), f"{name} has neither image nor build"
        assert service.get("healthcheck", {}).get("test"), f"{name} has no health check"
        assert service.get("restart") in {"unless-stopped", "always"}, f"{name} is not restarted"


def published(compose: dict, env: dict[str, str]) -> dict[str, list[tuple[str, str]]]:
    """(host address, host port) of each service's published ports, `.env` being `env`."""
    return {
        name: [tuple(interpolate(port, env).split(":")[:2]) for port in service.get("ports", [])]
        for name, service in compose["services"].items()
    }


def test_published_ports_are_the_documented_ones(compose: dict) -> None:
    ports = published(compose, read_env_example())
    assert {name: pairs[0][1] if pairs else "internal" for name, pairs in ports.items()} == documented_ports()


def test_no_port_is_published_on_every_interface_by_default(compose: dict) -> None:
    """Each published port names its host address, loopback unless .env sets another on purpose."""
    for name, service in compose["services"].items():
        for port in service.get("ports", []):
            assert port.startswith("${BIND_ADDRESS:-127.0.0.1}:"), f"{name} publishes {port} without a host address"
    addresses = {address for pairs in published(compose, read_env_example()).values() for address, _ in pairs}
    assert addresses == {"127.0.0.1"}
    assert {address for pairs in published(compose, {}).values() for address, _ in pairs} == {"127.0.0.1"}


def test_named_volumes_are_declared_and_host_paths_exist(compose: dict) -> None:
    declared = set(compose.get("volumes", {}))
    for name, service in compose["services"].items():
        for source in mounts(service).values():
            if source.startswith("."):
                assert (REPO / source).exists(), f"{name} mounts missing {source}"
            else:
                assert source in declared, f"{name} uses undeclared volume {source}"


def test_prometheus_loads_the_repo_config_and_its_rule_files(compose: dict) -> None:
    prometheus = compose["services"]["prometheus"]
    config_path = next(arg.split("=", 1)[1] for arg in prometheus["command"] if arg.startswith("--config.file="))
    mounted = mounts(prometheus)
    assert mounted[config_path] == "./monitoring/prometheus.yml"
    config = yaml.safe_load((REPO / "monitoring" / "prometheus.yml").read_text())
    for rule_file in config["rule_files"]:
        in_container = str(PurePosixPath(config_path).parent / rule_file)
        assert (REPO / mounted[in_container]).resolve() == (REPO / "monitoring" / rule_file).resolve()


def test_prometheus_scrapes_each_bentoml_service_on_its_port(compose: dict) -> None:
    config = yaml.safe_load((REPO / "monitoring" / "prometheus.yml").read_text())
    job = next(job for job in config["scrape_configs"] if job["job_name"] == "callcenterai")
    targets = {target for group in job["static_configs"] for target in group["targets"]}
    bento_services = {
        name for name, service in compose["services"].items() if "start-http-server" in service.get("command", [])
    }
    assert targets == {f"{name}:{compose['services'][name]['expose'][0]}" for name in bento_services}


def test_every_bentoml_container_keeps_idle_connections_as_long_as_params_say(compose: dict) -> None:
    keep_alive = str(load_params()["serving"]["keep_alive_s"])
    commands = [
        service["command"]
        for service in compose["services"].values()
        if "start-http-server" in service.get("command", [])
    ]
    assert len(commands) == 3
    for command in commands:
        assert command[command.index("--timeout-keep-alive") + 1] == keep_alive


def test_grafana_mounts_the_provisioning_and_the_folder_its_provider_reads(compose: dict) -> None:
    mounted = mounts(compose["services"]["grafana"])
    assert mounted["/etc/grafana/provisioning"] == "./monitoring/grafana/provisioning"
    provider = yaml.safe_load(
        (REPO / "monitoring" / "grafana" / "provisioning" / "dashboards" / "callcenterai.yaml").read_text()
    )["providers"][0]
    assert mounted[provider["options"]["path"]] == "./monitoring/grafana/dashboards"
    assert list(Path(REPO / "monitoring" / "grafana" / "dashboards").glob("*.json"))


def test_every_variable_comes_from_env_example_which_holds_no_secret() -> None:
    env = read_env_example()
    used = {match[1] for match in VARIABLE.finditer((REPO / "compose.yaml").read_text())}
    assert used <= set(env), f"not in .env.example: {used - set(env)}"
    secrets = {key: value for key, value in env.items() if SECRET_NAMES.search(key) and value}
    assert not secrets, f".env.example must leave secrets empty: {sorted(secrets)}"
    assert ".env" in (REPO / ".gitignore").read_text()


def test_agent_reaches_its_dependencies_by_compose_service_urls(compose: dict) -> None:
    services = compose["services"]
    depends = dict(pair.split("=", 1) for pair in services["agent"]["environment"]["BENTOML_SERVE_DEPENDS"].split())
    started = {
        services[name]["environment"]["BENTOML_SERVE_SERVICE_NAME"]: f"http://{name}:{services[name]['expose'][0]}"
        for name in ("tfidf", "transformer")
    }
    assert depends == started
    assert set(services["agent"]["depends_on"]) == {"tfidf", "transformer"}
