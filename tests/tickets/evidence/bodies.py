"""Multipart request bodies written by hand: the test client cleans file names itself, and a
50 MB body is made as it is read rather than held in memory."""

BOUNDARY = "----evidence-test-boundary"
CONTENT_TYPE = f"multipart/form-data; boundary={BOUNDARY}"


def file_part(filename: str) -> bytes:
    return (
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="files"; filename="{filename}"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode("utf-8", "surrogateescape")


END = f"--{BOUNDARY}--\r\n".encode()
# The message the files come with: the reply form needs words, so a refusal is about the files.
TEXT = (
    f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="body"\r\n\r\nHere are my photos.\r\n'
).encode()


def multipart(files: list[tuple[str, bytes]]) -> bytes:
    parts = b"".join(file_part(name) + content + b"\r\n" for name, content in files)
    return TEXT + parts + END


class LazyBody:
    """A body with one file of `size` bytes (zeros), produced as it is read; `consumed` tells
    how much of it anyone read."""

    def __init__(self, filename: str, size: int) -> None:
        self.head = TEXT + file_part(filename)
        self.size = size
        self.tail = b"\r\n" + END
        self.length = len(self.head) + size + len(self.tail)
        self.consumed = 0

    def read(self, size: int = -1) -> bytes:
        remaining = self.length - self.consumed
        size = remaining if size is None or size < 0 else min(size, remaining)
        out = bytearray()
        while len(out) < size:
            pos = self.consumed + len(out)
            want = size - len(out)
            if pos < len(self.head):
                out += self.head[pos : pos + want]
            elif pos < len(self.head) + self.size:
                out += bytes(min(want, len(self.head) + self.size - pos))
            else:
                start = pos - len(self.head) - self.size
                out += self.tail[start : start + want]
        self.consumed += len(out)
        return bytes(out)

    def readline(self, size: int = -1) -> bytes:  # WSGI input has it; the parser never calls it
        raise NotImplementedError


def environ(path: str, body, length: int) -> dict:
    """What Client.request takes to post `body` (bytes or a LazyBody) to `path`."""
    import io

    stream = io.BytesIO(body) if isinstance(body, bytes) else body
    return {
        "PATH_INFO": path,
        "REQUEST_METHOD": "POST",
        "CONTENT_TYPE": CONTENT_TYPE,
        "CONTENT_LENGTH": str(length),
        "wsgi.input": stream,
    }
