"""What XML 1.0 can carry of a value, for the XML that Oxigraph writes (RDF/XML, SPARQL XML results).

Oxigraph writes a literal's characters as they are. An XML parser reads a raw carriage return as a
line feed (XML 1.0, 2.11), so a value that holds one would come back changed: it is written as the
character reference `&#13;`, which a parser keeps. XML 1.0 has no way at all to write the other
control characters, nor U+FFFE and U+FFFF (2.2), which a file name may hold: rather than a file that
no XML parser reads, the writer is stopped with `NotInXml`, naming the character.
"""

from __future__ import annotations

import re
from typing import IO

import pyoxigraph as ox

# Oxigraph's own markup holds none of these bytes, and none is part of another character's UTF-8 bytes.
_CARRIAGE_RETURN = b"\r"
_CONTROLS = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
_NONCHARACTERS = ("\ufffe".encode(), "\uffff".encode())
_UNWRITABLE = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")


_XML_FORMATS = (ox.RdfFormat.RDF_XML, ox.QueryResultsFormat.XML)


def xml_checked(out: IO[bytes], chosen: ox.RdfFormat | ox.QueryResultsFormat) -> IO[bytes]:
    """Where Oxigraph should write in the chosen format: through an `XmlTextWriter` when it is XML, else
    `out` itself. Flush it once written, so that the writer's last bytes are checked and written too."""
    return XmlTextWriter(out) if chosen in _XML_FORMATS else out


class NotInXml(ValueError):
    """A value holds a character that XML 1.0 cannot carry."""

    def __init__(self, character: str) -> None:
        super().__init__(f"a value holds U+{ord(character):04X}, which XML 1.0 cannot carry; every other format can")


def _refuse_unwritable(xml: bytes) -> None:
    """Checked first with bytes' own scans, 4 times faster than the expression (the corpus as RDF/XML, 11.7 MB:
    23 against 98 ms), which then finds the character to name."""
    suspect = len(xml.translate(None, _CONTROLS)) != len(xml) or any(n in xml for n in _NONCHARACTERS)
    if suspect and (unwritable := _UNWRITABLE.search(xml)):
        raise NotInXml(unwritable.group().decode("utf-8"))


def _keep_carriage_returns(xml: bytes) -> bytes:
    return xml.replace(_CARRIAGE_RETURN, b"&#13;")


class XmlTextWriter:
    """A binary file for what Oxigraph writes as XML: carriage returns become `&#13;`, and a character XML 1.0
    cannot carry raises `NotInXml`. U+FFFE's three bytes may be split between two chunks (every other byte
    looked for is one): the last two bytes of each chunk are checked again with the next, and written with it."""

    def __init__(self, out: IO[bytes]) -> None:
        self._out = out
        self._held = b""

    def write(self, chunk: bytes) -> int:
        data = self._held + bytes(chunk)
        _refuse_unwritable(data)
        self._held = data[-2:]
        self._out.write(_keep_carriage_returns(data[:-2]))
        return len(chunk)

    def flush(self) -> None:
        _refuse_unwritable(self._held)
        self._out.write(_keep_carriage_returns(self._held))
        self._held = b""
        self._out.flush()
