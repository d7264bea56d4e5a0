#!/usr/bin/env python3
"""Writes the seed corpus of every fuzz target from fixtures/ (run from the project folder).

    python3 fuzz/seeds.py OUTPUT_FOLDER

One folder per target under OUTPUT_FOLDER, one file per seed:
  plex-guid     every GUID in the Plex payloads and the matching cases, one per file, and the
                payloads' GUID lists as one multi-line input each
  multipart     every Plex payload as the multipart body Plex posts (some with a JPEG part)
  payload       every Plex payload's JSON
  chain         plugins.json and a few variations of it
  catalog-line  single lines and blocks of lines of both catalogs
"""
import json
import os
import sys

BOUNDARY = "----PlexWebhookBoundary7MA4YWxkTrZu0gW"


def payloads():
    folder = "fixtures/plex-payloads"
    for name in sorted(os.listdir(folder)):
        if name.endswith(".json"):
            with open(os.path.join(folder, name), "rb") as handle:
                yield name, handle.read()


def guids_of(value, found):
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("guid", "parentGuid", "grandparentGuid", "id") and isinstance(item, str) and "://" in item:
                found.append(item)
            else:
                guids_of(item, found)
    elif isinstance(value, list):
        for item in value:
            guids_of(item, found)


def lines(path, limit):
    with open(path, "rb") as handle:
        return [line for _, line in zip(range(limit), handle)]


def main(out):
    seeds = {name: {} for name in ("plex-guid", "multipart", "payload", "chain", "catalog-line")}
    guids = set()
    for name, data in payloads():
        seeds["payload"][name] = data
        body = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"payload\"\r\n"
                f"Content-Type: application/json\r\n\r\n").encode() + data + b"\r\n"
        if name.startswith(("01", "08", "14")):
            body += (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"thumb\"; filename=\"thumb.jpg\"\r\n"
                     "Content-Type: image/jpeg\r\n\r\n").encode() + bytes([0xFF, 0xD8, 0xFF, 0xE0]) + bytes(range(64)) + b"\r\n"
        body += f"--{BOUNDARY}--\r\n".encode()
        seeds["multipart"][name] = body
        try:
            found = []
            guids_of(json.loads(data), found)
            guids.update(found)
            if found:
                seeds["plex-guid"][name + ".list"] = "\n".join(found).encode()
        except ValueError:
            pass
    # Small bodies of every shape the reader handles, so mutations stay cheap.
    small = '{"event": "media.scrobble", "Metadata": {"type": "episode", "grandparentTitle": "A", "parentIndex": 1, "index": 2}}'
    shapes = {
        "small-plain": f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"payload\"\r\n\r\n{small}\r\n--{BOUNDARY}--\r\n",
        "small-unquoted": f"--{BOUNDARY}  \r\ncontent-disposition: form-data; name=payload\r\nContent-Type: application/json\r\n\r\n{small}\r\n--{BOUNDARY}--",
        "small-thumb-first": f"preamble\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"thumb\"; filename=\"t.jpg\"\r\n\r\n\xff\xd8\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"payload\"\r\n\r\n{small}\r\n--{BOUNDARY}--\r\n",
        "small-own-boundary": f"Content-Type: multipart/form-data; boundary=\"xyz\"\n--xyz\r\nContent-Disposition: form-data; name=\"payload\"\r\n\r\n{small}\r\n--xyz--\r\n",
        "small-no-payload": f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--{BOUNDARY}--\r\n",
    }
    for name, body in shapes.items():
        seeds["multipart"][name] = body.encode("latin-1")
    for folder in ("fixtures/matching-dev", "fixtures/matching-generaltv-dev"):
        for line in lines(os.path.join(folder, "cases.jsonl"), 400):
            guids.update(json.loads(line)["plex"].get("guids", []))
        catalog = lines(os.path.join(folder, "catalog.jsonl"), 60)
        base = os.path.basename(folder)
        for index, line in enumerate(catalog[:20]):
            seeds["catalog-line"][f"{base}-{index}"] = line
        seeds["catalog-line"][f"{base}-block"] = b"".join(catalog)
    for index, guid in enumerate(sorted(guids)[:600]):
        seeds["plex-guid"][f"guid-{index}"] = guid.encode()
    with open("plugins.json", "rb") as handle:
        chain = handle.read()
    seeds["chain"]["plugins.json"] = chain
    config = json.loads(chain)
    seeds["chain"]["empty"] = b'{"version": 1, "matchers": []}'
    for index, matcher in enumerate(config.get("matchers", [])):
        seeds["chain"][f"only-{index}"] = json.dumps({"version": config.get("version", 1),
                                                      "thresholds": config.get("thresholds", {}),
                                                      "matchers": [matcher]}).encode()
    for name, files in seeds.items():
        folder = os.path.join(out, name)
        os.makedirs(folder, exist_ok=True)
        for file, data in files.items():
            with open(os.path.join(folder, file), "wb") as handle:
                handle.write(data)
        print(f"{name}: {len(files)} seeds")


if __name__ == "__main__":
    main(sys.argv[1])
