# Virtual `socket`: web requests arrive at the times the scenario gives; each answer is traced.
import vboard

AF_INET = 2
SOCK_STREAM = 1
SOL_SOCKET = 1
SO_REUSEADDR = 4


def getaddrinfo(host, port, af=0, type=0, proto=0, flags=0):
    return [(AF_INET, SOCK_STREAM, 0, "", (host, port))]


class _Client:
    def __init__(self, request):
        self.request = request.encode()
        self.sent = []

    def recv(self, n):
        data, self.request = self.request[:n], self.request[n:]
        return data

    def send(self, data):
        self.sent.append(data if isinstance(data, str) else bytes(data).decode())
        return len(data)

    sendall = send
    write = send

    def close(self):
        vboard.board.record("http_response", None, "".join(self.sent))


class socket:
    def __init__(self, af=AF_INET, type=SOCK_STREAM, proto=0):
        self.port = None

    def setsockopt(self, level, option, value):
        pass

    def bind(self, address):
        self.port = address[1]
        vboard.board.record("socket_bind", self.port, None)

    def listen(self, backlog=0):
        pass

    def settimeout(self, value):
        pass

    def accept(self):
        board = vboard.board
        request = board.next_request()
        board.record("http_request", None, request.split("\r\n")[0])
        return _Client(request), ("192.168.4.2", 50000)

    def close(self):
        pass
