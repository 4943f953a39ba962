"""The topic report, as Markdown (for MLflow and terminals) and HTML (for a browser): sizes, terms,
scrubbed examples, nearest category, novelty, a suggested name and the proposed merges."""

import html
from collections.abc import Callable

import pandas as pd

from core.columns import TEXT
from train.topics.discover import Discovery, Topic


def examples(topic: Topic, pool: pd.DataFrame, count: int, chars: int, scrub: Callable[[str], str]) -> list[str]:
    """The first `count` member tickets, scrubbed, cut to `chars` characters."""
    texts = pool[TEXT].iloc[topic.members[:count]].astype(str)
    return [scrub(text)[:chars] for text in texts]


def topic_rows(discovery: Discovery) -> list[dict]:
    """One summary row per topic (also logged to MLflow as a table)."""
    return [
        {
            "topic": topic.topic_id,
            "size": topic.size,
            "suggested_name": topic.suggested_name,
            "nearest_category": topic.nearest_category,
            "similarity": round(topic.similarity, 3),
            "novelty": round(topic.novelty, 3),
            "top_terms": " ".join(topic.top_terms),
        }
        for topic in discovery.topics
    ]


def merge_lines(discovery: Discovery) -> list[str]:
    """Each proposed new category: its topics, size and the command that promotes it."""
    by_id = {topic.topic_id: topic for topic in discovery.topics}
    lines = []
    for ids in discovery.merges:
        size = sum(by_id[i].size for i in ids)
        name = by_id[max(ids, key=lambda i: by_id[i].novelty)].suggested_name
        topics = " ".join(str(i) for i in ids)
        lines.append(
            f"topics {topics} ({size} tickets, nearest {by_id[ids[0]].nearest_category}): "
            f"`python -m train.topics promote --topics {topics} --name '{name}'`"
        )
    return lines


def markdown(discovery: Discovery, pool: pd.DataFrame, params: dict, scrub: Callable[[str], str]) -> str:
    """The whole report as Markdown."""
    lines = [f"# Topics in {len(pool)} unlabelled tickets", "", "## Proposed new categories", ""]
    lines += [f"- {line}" for line in merge_lines(discovery)] or ["- none: every topic is close to a known category"]
    lines += ["", "## Topics", "", "| topic | size | suggested name | nearest category | novelty | top terms |"]
    lines.append("|---|---|---|---|---|---|")
    for row in topic_rows(discovery):
        lines.append(
            f"| {row['topic']} | {row['size']} | {row['suggested_name']} | {row['nearest_category']} "
            f"| {row['novelty']:.3f} | {row['top_terms']} |"
        )
    for topic in discovery.topics:
        lines += ["", f"### Topic {topic.topic_id}: {topic.suggested_name} ({topic.size} tickets)", ""]
        lines += [f"> {text}" for text in examples(topic, pool, params["examples"], params["example_chars"], scrub)]
    return "\n".join(lines) + "\n"


def html_page(discovery: Discovery, pool: pd.DataFrame, params: dict, scrub: Callable[[str], str]) -> str:
    """The same report as a standalone HTML page (every text escaped)."""
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(value))}</td>" for value in row.values()) + "</tr>"
        for row in topic_rows(discovery)
    )
    header = "".join(f"<th>{name}</th>" for name in topic_rows(discovery)[0]) if discovery.topics else ""
    merges = "".join(f"<li>{html.escape(line)}</li>" for line in merge_lines(discovery)) or "<li>none</li>"
    details = "".join(
        f"<h3>Topic {topic.topic_id}: {html.escape(topic.suggested_name)} ({topic.size} tickets)</h3><ul>"
        + "".join(
            f"<li>{html.escape(text)}</li>"
            for text in examples(topic, pool, params["examples"], params["example_chars"], scrub)
        )
        + "</ul>"
        for topic in discovery.topics
    )
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Topics</title>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<style>body{font-family:system-ui,sans-serif;max-width:70rem;margin:auto;padding:1rem}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .5rem}</style></head><body>"
        f"<h1>Topics in {len(pool)} unlabelled tickets</h1><h2>Proposed new categories</h2><ul>{merges}</ul>"
        f"<h2>Topics</h2><table><tr>{header}</tr>{rows}</table>{details}</body></html>\n"
    )
