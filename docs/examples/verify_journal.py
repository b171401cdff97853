#!/usr/bin/env python3
"""An independent verifier of causette journal exports, written from docs/log-format.md alone.

Only the Python standard library (hashlib, base64, json) and OpenSSL for Ed25519, which Python's
standard library lacks. Usage: verify_journal.py FILE [--key VKEY], or verify_journal.py OLD NEW
[--key VKEY] to check that NEW extends OLD (section 6). Exits 0 when the file verifies (printing
"OK: ..." and any "WARNING ..." findings of step 9), 1 with "FAILED entry N (line L): reason" otherwise.
One openssl process per signature: fine for the small exports an auditor reads by hand, slow for a
million entries.
"""
import base64, binascii, hashlib, json, os, re, subprocess, sys, tempfile

SPKI_ED25519 = bytes.fromhex("302a300506032b6570032100")


class Failed(Exception):
    pass


def b64(text, length=None):
    if not isinstance(text, str):
        raise Failed("not base64")
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise Failed("not base64")
    if base64.b64encode(raw).decode() != text or (length is not None and len(raw) != length):
        raise Failed("not canonical base64 of the right length")
    return raw


def peer_id(public_key):
    """libp2p PeerId of an Ed25519 key: base58btc of 00 24 08 01 12 20 || key."""
    n = int.from_bytes(bytes.fromhex("002408011220") + public_key, "big")
    alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = alphabet[r] + out
    return "1" + out  # the leading 0x00 byte


def sha256(*parts):
    return hashlib.sha256(b"".join(parts)).digest()


def ed25519_verify(public_key, message, signature):
    with tempfile.TemporaryDirectory() as d:
        paths = {n: os.path.join(d, n) for n in ("key.pem", "msg", "sig")}
        pem = base64.encodebytes(SPKI_ED25519 + public_key).decode()
        open(paths["key.pem"], "w").write(f"-----BEGIN PUBLIC KEY-----\n{pem}-----END PUBLIC KEY-----\n")
        open(paths["msg"], "wb").write(message)
        open(paths["sig"], "wb").write(signature)
        r = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", paths["key.pem"], "-rawin",
                            "-in", paths["msg"], "-sigfile", paths["sig"]], capture_output=True)
        return r.returncode == 0


def mth(hashes):
    """Root of a list of leaf hashes (RFC 9162 2.1.1), folding perfect subtrees right to left."""
    stack = []  # (size, hash) of perfect subtrees, as in docs/log-format.md step 5
    for h in hashes:
        size = 1
        while stack and stack[-1][0] == size:
            left = stack.pop()[1]
            h, size = sha256(b"\x01", left, h), size * 2
        stack.append((size, h))
    if not stack:
        return sha256()
    root = stack[-1][1]
    for _, left in reversed(stack[:-1]):
        root = sha256(b"\x01", left, root)
    return root


def inclusion_ok(index, size, leaf_hash, proof, root):
    """RFC 9162 2.1.3.2."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf_hash
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = sha256(b"\x01", p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = sha256(b"\x01", r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def consistency_ok(m, n, proof, old_root, new_root):
    """RFC 9162 2.1.4.2, for 0 < m < n."""
    if not 0 < m < n or not proof:
        return False
    if m & (m - 1) == 0:
        proof = [old_root] + proof
    fn, sn = m - 1, n - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = sha256(b"\x01", c, fr), sha256(b"\x01", c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = sha256(b"\x01", sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == old_root and sr == new_root


INTEGER = re.compile(r"(0|[1-9][0-9]{0,15})")
KEY_NAME = re.compile(r"[a-z][a-z0-9-]{0,31}")
PRINTABLE = re.compile(r"[\x20\x21\x23-\x5b\x5d-\x7e]*")
ID43 = re.compile(r"[A-Za-z0-9_-]{43}")
CONTROL = re.compile("[\x00-\x1f\x7f\u2028\u2029]")
KINDS = ("message-sent", "message-received", "receipt", "key-pin", "key-change", "membership", "carry",
         "channel-entry", "sender-key", "update", "startup", "shutdown", "export")
SALT_BYTES = 32
WORKSPACE = re.compile(r"[A-Za-z0-9._-]{1,64}")


def url_id(text, length):
    """A random id: base64url (no padding) of exactly `length` bytes, in its one spelling."""
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)) if re.fullmatch(r"[A-Za-z0-9_-]*", text) else b""
    if len(raw) != length or base64.urlsafe_b64encode(raw).decode().rstrip("=") != text:
        raise Failed(f"not base64url of {length} bytes")
    return text


def signed_text_common(values):
    """The fields statements and receipts share (section 1)."""
    if not WORKSPACE.fullmatch(values["workspace"]):
        raise Failed("workspace is malformed")
    url_id(values["conversation"], 16)
    integer(values["time"])


def integer(text):
    """An ASCII decimal integer without leading zeros (at most 16 digits)."""
    if not isinstance(text, str) or not INTEGER.fullmatch(text) or int(text) > 2**53 - 1:
        raise Failed("not an integer without leading zeros")
    return int(text)


def is_int(value):
    return type(value) is int and 0 <= value <= 2**53 - 1


def parse_vkey(vkey):
    name, key_id, material = vkey.split("+", 2)
    raw = b64(material, 33)
    if raw[0] != 1 or sha256(name.encode() + b"\n\x01" + raw[1:])[:4].hex() != key_id:
        raise Failed("the key ID does not match the key")
    return name, bytes.fromhex(key_id), raw[1:]


def parse_leaf(leaf):
    """Section 1: canonical JSON of integers, printable-ASCII strings and arrays of them; a known kind."""
    entry = json.loads(leaf.decode("ascii"))
    if not isinstance(entry, dict) or json.dumps(entry, sort_keys=True, separators=(",", ":")).encode() != leaf:
        raise Failed("not canonical JSON")
    for key, value in entry.items():
        values = value if isinstance(value, list) else [value]
        ok = KEY_NAME.fullmatch(key) and all(is_int(v) or (isinstance(v, str) and PRINTABLE.fullmatch(v)) for v in values)
        if not ok or (isinstance(value, list) and not all(isinstance(v, str) for v in value)):
            raise Failed(f"{key} is not an integer, a printable string or an array of strings")
    if entry.get("kind") not in KINDS:
        raise Failed("unknown entry kind")
    if not is_int(entry.get("time")):
        raise Failed("time must be a non-negative integer")
    return entry


def text_fields(data, label, names, optional=()):
    """A signed text: the label line, then "name: value" lines in this order, each ending with LF."""
    text = data.decode("utf-8")
    if not text.endswith("\n"):
        raise Failed("a signed text ends with a newline")
    lines = text[:-1].split("\n")
    if lines[0] != label or len(lines) < len(names) + 1:
        raise Failed(f"not a {label} text")
    values = {}
    for name, line in zip(names, lines[1:]):
        if not line.startswith(name + ": "):
            raise Failed(f"{label}: expected the {name} line")
        values[name] = line[len(name) + 2:]
    for line in lines[len(names) + 1:]:
        name = line.split(": ", 1)[0]
        if name not in optional or name in values:
            raise Failed(f"{label}: an unexpected line")
        values[name] = line[len(name) + 2:]
    return values


def check_message(fields, log_key, signatures):
    statement, signature = b64(fields["statement"]), b64(fields["signature"], 64)
    names = ("workspace", "conversation", "author", "recipients", "id", "time", "seq", "body-sha256")
    values = text_fields(statement, "causette/statement/v1", names, optional=("urgent",))
    signed_text_common(values)
    url_id(values["id"], 32)
    if "urgent" in values and one_line(1, 200, True)(values["urgent"]) is None:
        raise Failed("urgent is malformed")
    author = b64(values["author"], 32)
    signatures.append((author, statement, signature, "the author signature does not verify"))
    if values["id"] != fields["id"] or values["conversation"] != fields["conversation"]:
        raise Failed("the entry differs from its statement")
    listed = values["recipients"].split(",")
    if listed != sorted(set(listed)) or len(listed) > 1000:
        raise Failed("recipients must be sorted and distinct")
    recipients = [peer_id(b64(r, 32)) for r in listed]
    if fields["kind"] == "message-sent" and (author != log_key or fields["peer"] not in recipients):
        raise Failed("a sent message is not by the journal's key, or not to the entry's peer")
    if fields["kind"] == "message-received" and fields["peer"] != peer_id(author):
        raise Failed("the entry's peer is not the statement's author")
    if integer(values["seq"]) < 1:
        raise Failed("seq starts at 1")
    return b64(values["body-sha256"], 32), (values["author"], values["conversation"], int(values["seq"])), listed


def direct_conversation_id(a, b):
    """Section 1, "Which conversation a message names": the 1:1 conversation of two device keys (base64)."""
    digest = hashlib.sha256(b"causette/conversation/v1\n" + "\n".join(sorted([a, b])).encode()).digest()
    return base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")


def channel_conversation_id(channel):
    """The conversation a channel's statements name: the first 16 bytes of the channel id."""
    return base64.urlsafe_b64encode(base64.urlsafe_b64decode(channel + "=")[:16]).decode().rstrip("=")


def misfiled_findings(misfiled, direct, channels, scope):
    """Step 9: the 1:1 messages filed in a conversation not their author's and recipient's; in a subset,
    only in a conversation another message shows to be 1:1 (a subset may leave a channel's entries out)."""
    channel_conversations = {channel_conversation_id(channel) for channel in channels}
    kept = [f for conversation, found in misfiled.items() if conversation not in channel_conversations
            and (scope == "full" or conversation in direct) for f in found]
    return [text for _, text in sorted(kept)]


def check_receipt(fields, log_key, signatures):
    receipt, signature = b64(fields["signed"]), b64(fields["signature"], 64)
    values = text_fields(receipt, "causette/receipt/v1", ("workspace", "conversation", "author", "to", "state", "time", "ids"))
    signed_text_common(values)
    ids = values["ids"].split(",")
    if values["state"] not in ("delivered", "read") or len(set(ids)) != len(ids) or len(ids) > 100 or any(url_id(i, 32) is None for i in ids):
        raise Failed("the receipt's state or ids are malformed")
    author = b64(values["author"], 32)
    signatures.append((author, receipt, signature, "the receipt signature does not verify"))
    if b64(values["to"], 32) != log_key or peer_id(author) != fields["peer"]:
        raise Failed("the receipt is not from the entry's peer to the journal's key")
    if (values["conversation"], values["state"], values["ids"].split(",")) != (fields["conversation"], fields["receipt"], fields["messages"]):
        raise Failed("the entry differs from its signed receipt")


def one_line(low, high, trimmed):
    def check(text):
        if not low <= len(text) <= high or CONTROL.search(text) or (trimmed and text.strip() != text) or (low > 0 and not text.strip()):
            raise Failed("not one printable line of the right length")
        return text
    return check


KEY = lambda t: b64(t, 32)
MEMBERSHIP_FIELDS = {
    "kind": lambda t: t, "seq": integer, "previous": lambda t: None if t == "none" else b64(t, 32), "signer": KEY,
    "time": integer, "name": one_line(1, 64, False), "device-name": one_line(1, 64, False), "identity-key": KEY,
    "prekey-id": integer, "prekey": KEY, "invite-key": KEY, "role": lambda t: t if t in ("admin", "member") else b64(""),
    "expires": integer, "invite": KEY, "request": lambda t: b64(t) if len(b64(t)) <= 2048 else b64(""),
    "request-signature": lambda t: b64(t, 64), "invite-signature": lambda t: b64(t, 64), "device": KEY,
    "reason": one_line(1, 64, False), "root": KEY,
}
MEMBERSHIP_KINDS = {
    "genesis": ("name", "device-name", "identity-key", "prekey-id", "prekey"),
    "invite": ("invite-key", "role", "expires"),
    "admit": ("role", "invite", "request", "request-signature", "invite-signature"),
    "remove": ("device", "reason"), "role": ("device", "role"), "prekey": ("prekey-id", "prekey"),
    "revoke": ("invite-key",),
}
JOIN_FIELDS = ("root", "invite", "device", "identity-key", "prekey-id", "prekey", "name", "time")


def typed(raw, label, names, table, limit, optional=()):
    if len(raw) > limit:
        raise Failed(f"{label}: over {limit} bytes")
    return {name: table[name](value) for name, value in text_fields(raw, label, names, optional).items()}


def check_fork(fields, entry, raw):
    """Section 1.1, a fork: the entry is the dropped branch's first (checked as any other), at the
    leaf's seq; kept is the SHA-256 of the kept branch's first entry, never the dropped one's."""
    if entry["kind"] == "genesis":
        raise Failed("a fork leaf's dropped entry is a genesis: a fork starts after it")
    if fields["seq"] != entry["seq"]:
        raise Failed("the fork leaf's seq differs from its dropped entry's")
    try:
        kept = b64(fields.get("kept"), 32)
    except Failed:
        raise Failed("a fork leaf's kept must be base64 of a 32-byte SHA-256")
    if kept == sha256(raw):
        raise Failed("a fork leaf keeps the entry it drops")


def check_membership(fields, signatures):
    """Section 1, causette/membership/v1: signed by its signer line; an admission carries a join request
    signed by the device it names and by the invite key."""
    raw, signature = b64(fields["entry"]), b64(fields["signature"], 64)
    kind = raw.decode("utf-8").split("\n")[1].removeprefix("kind: ") if raw.count(b"\n") > 1 else ""
    if kind not in MEMBERSHIP_KINDS:
        raise Failed("the membership entry: not a causette/membership/v1 entry of a known kind")
    names = ("kind", "seq", "previous", "signer", "time") + MEMBERSHIP_KINDS[kind]
    entry = typed(raw, "causette/membership/v1", names, MEMBERSHIP_FIELDS, 4096)
    if len(raw.decode().split("\n")) != len(names) + 2:
        raise Failed("the membership entry has extra lines")
    if (entry["seq"] == 0) != (kind == "genesis") or (entry["seq"] == 0) != (entry["previous"] is None):
        raise Failed("the membership entry: the genesis, and only it, is entry 0 with no previous entry")
    signatures.append((entry["signer"], raw, signature, "the membership entry's signature does not verify"))
    if fields["change"] == "fork":
        check_fork(fields, entry, raw)
    elif "kept" in fields:
        raise Failed("only a fork leaf has kept")
    elif fields["change"] != kind or fields["seq"] != entry["seq"]:
        raise Failed("the leaf's change or seq differs from its membership entry")
    if not isinstance(fields.get("workspace"), str):
        raise Failed("the membership leaf names no workspace")
    if kind == "genesis" and fields["workspace"] != base64.urlsafe_b64encode(sha256(raw)).decode().rstrip("="):
        raise Failed("the workspace id is not the hash of its genesis entry")
    if kind == "admit":
        request = typed(entry["request"], "causette/join/v1", JOIN_FIELDS, MEMBERSHIP_FIELDS, 2048)
        if len(entry["request"].decode().split("\n")) != len(JOIN_FIELDS) + 2:
            raise Failed("the join request has extra lines")
        if request["invite"] != entry["invite"]:
            raise Failed("the join request was made for another invite than the one it is admitted with")
        signatures.append((request["device"], entry["request"], entry["request-signature"], "the join request is not signed by the device it names"))
        signatures.append((entry["invite"], entry["request"], entry["invite-signature"], "the join request is not signed with the invite key"))


def parents(text):
    if text == "none":
        return []
    parts = text.split(",")
    if len(parts) > 32 or any(b <= a for a, b in zip(parts, parts[1:])):
        raise Failed("parents: 1 to 32 hashes in ascending order")
    return [b64(p, 32) and p for p in parts]


def departure_chains(text):
    """none, or 1 to 5 "chain id:iteration" pairs (base64 of 16 bytes; an iteration below 2^32), in
    ascending order of their text, comma-separated, no chain twice."""
    if text == "none":
        return []
    parts = text.split(",")
    if len(parts) > 5 or any(b <= a for a, b in zip(parts, parts[1:])):
        raise Failed("chains: 1 to 5 pairs in ascending order")
    chains = []
    for part in parts:
        pieces = part.split(":")
        if len(pieces) != 2 or integer(pieces[1]) > 0xFFFFFFFF:
            raise Failed("chains: a pair is a chain id and an iteration below 2^32")
        chains.append((b64(pieces[0], 16), int(pieces[1])))
    if len({chain for chain, _ in chains}) != len(chains):
        raise Failed("chains: a chain named twice")
    return chains


CHANNEL_FIELDS = {
    "kind": lambda t: t, "channel": lambda t: None if t == "none" else (t if ID43.fullmatch(t) else b64("")),
    "parents": parents, "clock": integer, "signer": KEY, "time": integer,
    "workspace": lambda t: t if ID43.fullmatch(t) else b64(""), "name": one_line(1, 64, True),
    "topic": one_line(0, 256, True), "nonce": lambda t: b64(t, 16), "device": KEY, "chains": departure_chains,
}
CHANNEL_KINDS = {"create": ("workspace", "name", "topic", "nonce"), "invite": ("device",), "remove": ("device",),
                 "leave": (), "topic": ("topic",), "archive": (), "open": (), "join": ()}


def check_channel(fields, signatures, channels):
    """Section 1.2, causette/channel/v1: signed by its signer line, whose signer a create, an invite or
    its own join in the entry's causal past made a member; an open entry is the creator's, and a join
    has an open entry in its causal past; the channel's entries are in the file from its create."""
    raw, signature = b64(fields["entry"]), b64(fields["signature"], 64)
    kind = raw.decode("utf-8").split("\n")[1].removeprefix("kind: ") if raw.count(b"\n") > 1 else ""
    if kind not in CHANNEL_KINDS:
        raise Failed("the channel entry: not a causette/channel/v1 entry of a known kind")
    names = ("kind", "channel", "parents", "clock", "signer", "time") + CHANNEL_KINDS[kind]
    # A departure may end with the chains it bounds (channels.md, "Posting ends at the departure").
    optional = ("chains",) if kind in ("remove", "leave") else ()
    entry = typed(raw, "causette/channel/v1", names, CHANNEL_FIELDS, 4096, optional)
    if len(raw.decode().split("\n")) != len(entry) + 2:
        raise Failed("the channel entry has extra lines")
    root = kind == "create"
    if root != (entry["channel"] is None) or root != (entry["parents"] == []) or root != (entry["clock"] == 0):
        raise Failed("the channel entry: the create entry, and only it, has no channel, no parents and clock 0")
    if kind == "remove" and entry["device"] == entry["signer"]:
        raise Failed("the channel entry: a member leaves with a leave entry, not a removal")
    if kind == "open" and entry["clock"] != 1:
        raise Failed("the channel entry: an open entry follows the create entry alone (clock 1)")
    signatures.append((entry["signer"], raw, signature, "the channel entry's signature does not verify"))
    if fields["change"] != kind:
        raise Failed("the leaf's change differs from its channel entry")
    digest = sha256(raw)
    channel = base64.urlsafe_b64encode(digest).decode().rstrip("=") if root else entry["channel"]
    if fields["channel"] != channel:
        raise Failed("the channel id is not the hash of its create entry" if root else "the leaf names another channel than its entry")
    key = base64.b64encode(digest).decode()
    if root:
        if channel in channels:
            raise Failed("a second create entry for the channel")
        channels[channel] = (entry["signer"], {key: ([], entry["signer"], False)})
        return
    if channel not in channels:
        raise Failed("the channel's create entry is not before it in the export")
    creator, nodes = channels[channel]
    if key in nodes:
        return
    if any(p not in nodes for p in entry["parents"]):
        raise Failed("a parent of the channel entry is not before it in the export")
    if kind == "open" and entry["signer"] != creator:
        raise Failed("the channel's open entry is signed by another device than its creator")
    if kind == "join" and not in_causal_past(nodes, entry["parents"], lambda node: node[2]):
        raise Failed("a device joined a channel that is not open: no open entry before its join")
    if kind not in ("open", "join") and not in_causal_past(nodes, entry["parents"], lambda node: node[1] == entry["signer"]):
        raise Failed("the channel entry is signed by a device that is not a member: no create or invite made it one before it")
    joins = entry["device"] if kind == "invite" else entry["signer"] if kind == "join" else None
    nodes[key] = (entry["parents"], joins, kind == "open")


def in_causal_past(nodes, parents, matches):
    """Whether an entry among the parents and their ancestors matches."""
    seen, stack = set(), list(parents)
    while stack:
        k = stack.pop()
        if k in seen:
            continue
        seen.add(k)
        if matches(nodes[k]):
            return True
        stack.extend(nodes[k][0])
    return False


def check_signatures(signatures):
    for public_key, message, signature, reason in signatures:
        if not ed25519_verify(public_key, message, signature):
            raise Failed(reason)


def read_lines(path):
    """Section 4: lines end with LF alone, the last one too."""
    lines = open(path, "rb").read().decode("utf-8").split("\n")
    if lines[-1] != "":
        raise Failed(f"line {len(lines)}: the file does not end with a newline")
    for number, line in enumerate(lines[:-1], start=1):
        if line.endswith("\r"):
            raise Failed(f"line {number}: the line ends with CR LF: lines end with LF alone")
    return lines[:-1]


def verify(path, trusted_key=None, root_at=None):
    lines = read_lines(path)
    if lines[:1] != ["causette-journal-export 1"] or len(lines) < 5:
        raise Failed("line 1: not a causette journal export, version 1")
    if not lines[1].startswith("key ") or not lines[2].startswith("scope ") or not lines[3].startswith("checkpoint "):
        raise Failed("line 2: expected the key, scope and checkpoint lines")
    vkey = lines[1].removeprefix("key ")
    if trusted_key is not None and vkey != trusted_key:
        raise Failed("line 2: signed by another key than the one given")
    name, key_id, public_key = parse_vkey(vkey)
    scope = lines[2].removeprefix("scope ")
    if scope not in ("full", "subset"):
        raise Failed("line 3: scope must be full or subset")
    note = b64(lines[3].removeprefix("checkpoint ")).decode()
    text, _, signature_lines = note.rpartition("\n\n")
    text += "\n"
    ours = [b64(s.split(" ")[2]) for s in signature_lines.splitlines() if s.startswith(f"\u2014 {name} ")]
    if not ours or any(s[:4] != key_id or not ed25519_verify(public_key, text.encode(), s[4:]) for s in ours):
        raise Failed("line 4: the checkpoint is not signed by the key")
    origin, size, root, *extensions = text[:-1].split("\n")
    if "" in extensions:
        raise Failed("line 4: a checkpoint's extension lines are not empty")
    size, root = integer(size), b64(root, 32)  # extension lines, if any, are ignored (section 3)
    if origin != name or origin != "causette/journal/v1/" + peer_id(public_key):
        raise Failed("line 4: the checkpoint origin is not the key name, or not the journal of the key's PeerId")
    tree, selection, last, count, previous_size, disclosed = [], [], -1, 0, 0, 0
    consistency, root_at_size, channels, seq_last, findings, export = {}, None, {}, {}, [], None
    direct, misfiled = set(), {}  # step 9: the 1:1 conversations shown, the messages not in theirs
    current = None  # [index, leaf_hash, body_hash, has_proof, has_body]
    for number, line in enumerate(lines[4:], start=5):
        tag, *fields = line.split(" ")
        where = f"entry {current[0]} (line {number})" if current else f"line {number}"
        try:
            if tag == "consistency" and last < 0:
                old_size, old_root, *proof = integer(fields[0]), b64(fields[1], 32), *[b64(f, 32) for f in fields[2:]]
                if old_size <= previous_size:
                    raise Failed("consistency lines come by increasing size")
                previous_size = old_size
                if not consistency_ok(old_size, size, proof, old_root, root):
                    raise Failed(f"the consistency proof from size {old_size} fails")
                consistency[old_size] = old_root
            elif tag == "entry" and len(fields) == 3:
                if current and scope == "subset" and not current[3]:
                    raise Failed("the entry has no inclusion proof")
                where = f"line {number}"
                index, leaf = integer(fields[0]), b64(fields[2])
                current = [index, sha256(b"\x00", leaf), None, False, False]
                where = f"entry {index} (line {number})"
                if index <= last or index >= size or (scope == "full" and index != last + 1):
                    raise Failed("missing, duplicated, out of order or beyond the checkpoint")
                if b64(fields[1], 32) != current[1]:
                    raise Failed("the leaf does not match its hash")
                entry, signatures = parse_leaf(leaf), []
                if entry["kind"] in ("message-sent", "message-received"):
                    current[2], seq, listed = check_message(entry, public_key, signatures)
                    author_conversation, n = seq[:2], seq[2]
                    previous = seq_last.get(author_conversation, 0)
                    if n != previous + 1:
                        findings.append(f"entry {index} (line {number}): seq {n} of {seq[0]} in conversation {seq[1]} "
                                        + (f"follows {previous}: {n - previous - 1} message(s) not in the file" if n > previous else f"comes after {previous}: reordered or repeated"))
                    seq_last[author_conversation] = max(n, previous)
                    if len(listed) == 1 and listed[0] != seq[0]:  # one recipient, not the author: maybe 1:1
                        own = direct_conversation_id(seq[0], listed[0])
                        if own == seq[1]:
                            direct.add(own)
                        else:
                            misfiled.setdefault(seq[1], []).append((index, f"entry {index} (line {number}): a 1:1 message from {peer_id(b64(seq[0]))} to {peer_id(b64(listed[0]))} "
                                                                          f"is filed in conversation {seq[1]}, not in theirs ({own})"))
                if entry["kind"] == "receipt" and "signed" in entry:
                    check_receipt(entry, public_key, signatures)
                if entry["kind"] == "membership":
                    check_membership(entry, signatures)
                if entry["kind"] == "channel-entry":
                    check_channel(entry, signatures, channels)
                check_signatures(signatures)
                last = index
                tree.append(current[1])
                if len(tree) == root_at:
                    root_at_size = mth(tree)
                if index == size - 1:
                    if entry["kind"] != "export":
                        raise Failed("the last entry of an export must be the export's own entry")
                    export = entry
                else:
                    selection.append(current[1])
                    count += 1
            elif tag == "body" and len(fields) == 2 and current and current[2] and not current[3] and not current[4]:
                if sha256(b64(fields[0], SALT_BYTES), b64(fields[1])) != current[2]:
                    raise Failed("the disclosed body does not match its commitment")
                current[4] = True
                disclosed += 1
            elif tag == "proof" and scope == "subset" and current and not current[3]:
                if not inclusion_ok(current[0], size, current[1], [b64(f, 32) for f in fields], root):
                    raise Failed("the inclusion proof does not lead to the checkpoint root")
                current[3] = True
            elif line == "end" and number == len(lines):
                if scope == "subset" and current and not current[3]:
                    raise Failed("the entry has no inclusion proof")
                where = f"entry {size - 1} (line {number})"
                if export is None:
                    raise Failed("the export's own entry is missing")
                if scope == "full" and (mth(tree) != root or export["size"] != size - 1):
                    raise Failed("the entries do not rebuild the checkpoint root")
                if export["count"] != count or b64(export["selection"], 32) != mth(selection):
                    raise Failed("the entries are not the ones the export selected")
                if export.get("redact") not in ("yes", "no"):
                    raise Failed("the export entry says neither redact yes nor no")
                if export["redact"] == "yes" and disclosed:
                    raise Failed("a redacted export discloses a body")
                if not is_int(export["size"]) or export["size"] > size - 1 or (current and current[0] != size - 1) or \
                        (selection and last_selected >= export["size"]):
                    raise Failed("an entry lies beyond the size the export covered")
                return {"key": vkey, "scope": scope, "size": size, "root": root, "count": count,
                        "consistency": consistency, "root_at": root_at_size, "findings": findings,
                        "misfiled": misfiled_findings(misfiled, direct, channels, scope)}
            else:
                raise Failed("line out of place")
            if tag == "entry" and current[0] != size - 1:
                last_selected = current[0]
        except (ValueError, KeyError, IndexError, TypeError, AttributeError, UnicodeDecodeError) as error:
            raise Failed(f"{where}: malformed ({error.__class__.__name__})")
        except Failed as error:
            raise Failed(f"{where}: {error}") from None
    raise Failed(f"line {len(lines)}: the file ends before its end line")


def extends(old_path, new_path, trusted_key=None):
    """Section 6: NEW's tree has OLD's as a prefix."""
    old = verify(old_path, trusted_key)
    try:
        new = verify(new_path, old["key"], root_at=old["size"])
    except Failed as error:
        raise Failed(f"{error} (in the newer file)")
    if new["size"] < old["size"]:
        raise Failed("the newer checkpoint is smaller than the older")
    if new["size"] == old["size"]:
        if new["root"] != old["root"]:
            raise Failed("two checkpoints of the same size with different roots: the log was rewritten")
    elif new["scope"] == "full":
        if new["root_at"] != old["root"]:
            raise Failed(f"the newer export's first {old['size']} entries do not rebuild the older root: the log was rewritten")
    elif old["size"] not in new["consistency"]:
        raise Failed(f"the newer export has no consistency proof from size {old['size']}")
    elif new["consistency"][old["size"]] != old["root"]:
        raise Failed("the newer export proves an extension of another tree: the log was rewritten")
    return old, new


if __name__ == "__main__":
    args = sys.argv[1:]
    key = None
    if "--key" in args:
        at = args.index("--key")
        key, args = args[at + 1], args[:at] + args[at + 2:]
    if len(args) not in (1, 2):
        print("usage: verify_journal.py FILE [--key VKEY] | verify_journal.py OLD NEW [--key VKEY]")
        sys.exit(2)
    try:
        if len(args) == 1:
            report = verify(args[0], key)
            print(f"OK: {report['count']} entries and the export's own, checkpoint of {report['size']} signed by {report['key']}")
        else:
            old, report = extends(args[0], args[1], key)
            print(f"OK: {args[1]} (checkpoint of {report['size']}) extends {args[0]} (checkpoint of {old['size']}), signed by {report['key']}")
        for finding in report["findings"]:
            print(f"WARNING seq: {finding}")
        for finding in report["misfiled"]:
            print(f"WARNING conversation: {finding}")
    except Failed as error:
        print(f"FAILED {error}")
        sys.exit(1)
