# Stand-ins of the runtime suite, one python3 file (python3-minimal: no json, no http.server):
#   proxy           goproxy's listeners, by PROXY_TYPE as the function renders it: transparent logs each
#                   connection with its original destination (SO_ORIGINAL_DST) and relays it; dual (goproxy's
#                   tcp:http) relays the in-port to REVERSE_PROXY_HOST:REVERSE_PROXY_PORT and serves the out-port
#                   as an HTTP forward proxy (CONNECT, and absolute-URI requests)
#   app PORT...     a tiny HTTP server; GET /call/IP/PORT makes it call out and returns the answer
#   echo PORT...    an outside server that answers who connected to what
#   call IP PORT    one request, the answer on stdout
# A call honours HTTP_PROXY and NO_PROXY (either case) as curl, Go and Python's urllib do: with a proxy named and
# the host not excluded, it sends an absolute-URI request to the proxy; the app is configured by nothing else.
# Every log line is "event key=value ..." on stdout, flushed, for the suite to read back with podman logs.
import os
import socket
import struct
import sys
import threading

SO_ORIGINAL_DST = 80  # linux/netfilter_ipv4.h


def log(event, **fields):
    print(event, *(f'{k}={v}' for k, v in fields.items()), flush=True)


def addr(pair):
    return f'{pair[0]}:{pair[1]}'


def original_dst(conn):
    raw = conn.getsockopt(socket.SOL_IP, SO_ORIGINAL_DST, 16)
    port, packed = struct.unpack_from('!2xH4s', raw)
    return socket.inet_ntoa(packed), port


def status(*keys):
    with open('/proc/self/status') as f:
        return {k: v.strip() for k, v in (line.split(':', 1) for line in f) if k in keys}


def serve(port, handle):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('0.0.0.0', port))
    s.listen(64)
    log('listening', port=port)

    def loop():
        while True:
            conn, peer = s.accept()
            threading.Thread(target=handle, args=(conn, peer, port), daemon=True).start()

    threading.Thread(target=loop, daemon=True).start()


def pipe(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def proxy():
    caps = status('Uid', 'CapEff', 'CapPrm', 'NoNewPrivs')
    try:
        # What goproxy needs NET_RAW for: a raw socket.
        socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP).close()
        raw = 'ok'
    except OSError as e:
        raw = f'denied({e.errno})'
    log('proxy-start', uid=caps['Uid'].split()[0], capeff=caps['CapEff'], noNewPrivs=caps['NoNewPrivs'], raw=raw)
    ports = {'in': int(os.environ['PROXY_IN_PORT']), 'out': int(os.environ['PROXY_OUT_PORT'])}
    if os.environ.get('PROXY_TYPE', 'transparent') != 'transparent':
        inline_proxy(ports)
        return

    def handler(listener):
        def handle(conn, peer, port):
            try:
                dst = original_dst(conn)
            except OSError:
                dst = ('none', 0)
            log('conn', listener=listener, port=port, peer=addr(peer), orig=addr(dst))
            if dst[1] in (0, port):
                conn.close()  # reached directly: nothing to relay to
                return
            try:
                up = socket.create_connection(dst, timeout=5)
            except OSError as e:
                log('relay-failed', orig=addr(dst), error=e.errno)
                conn.close()
                return
            threading.Thread(target=pipe, args=(up, conn), daemon=True).start()
            pipe(conn, up)

        return handle

    for listener, port in ports.items():
        serve(port, handler(listener))


def inline_proxy(ports):
    """goproxy's dual mode with tcp:http: a TCP reverse proxy in front of the app, an HTTP forward proxy for it."""
    target = (os.environ.get('REVERSE_PROXY_HOST', 'localhost'), int(os.environ.get('REVERSE_PROXY_PORT', '80')))

    def relay(conn, dst, first=b''):
        try:
            up = socket.create_connection(dst, timeout=5)
        except OSError as e:
            log('relay-failed', orig=addr(dst), error=e.errno)
            conn.close()
            return
        if first:
            up.sendall(first)
        threading.Thread(target=pipe, args=(up, conn), daemon=True).start()
        pipe(conn, up)

    def reverse(conn, peer, port):
        log('conn', listener='in', port=port, peer=addr(peer), orig=addr(target), mode='reverse')
        relay(conn, target)

    def forward(conn, peer, port):
        head = b''
        while b'\r\n\r\n' not in head:
            data = conn.recv(65536)
            if not data:
                conn.close()
                return
            head += data
        line, rest = head.split(b'\r\n', 1)
        method, uri, version = line.decode().split(' ')
        if method == 'CONNECT':
            host, _, dport = uri.rpartition(':')
            log('conn', listener='out', port=port, peer=addr(peer), orig=f'{host}:{dport}', mode='forward', method=method)
            conn.sendall(b'HTTP/1.1 200 Connection established\r\n\r\n')
            relay(conn, (host, int(dport)), rest.split(b'\r\n\r\n', 1)[1])
            return
        # http://host:port/path -> origin form to host:port, the rest of the request as it came.
        hostport, _, path = uri.split('://', 1)[1].partition('/')
        host, _, dport = hostport.partition(':')
        log('conn', listener='out', port=port, peer=addr(peer), orig=f'{host}:{dport or 80}', mode='forward', method=method)
        relay(conn, (host, int(dport or 80)), f'{method} /{path} {version}\r\n'.encode() + rest)

    serve(ports['in'], reverse)
    serve(ports['out'], forward)


def proxy_for(host):
    """The proxy the conventional variables name for plain HTTP to `host`, or None: direct."""
    env = lambda name: os.environ.get(name) or os.environ.get(name.lower())
    url = env('HTTP_PROXY')
    if not url:
        return None
    excluded = [e.strip() for e in (env('NO_PROXY') or '').split(',') if e.strip()]
    if '*' in excluded or host in excluded:
        return None
    hostport = url.split('://', 1)[-1].rstrip('/')
    proxy_host, _, proxy_port = hostport.rpartition(':')
    return proxy_host, int(proxy_port)


def call(ip, port, path='/'):
    via = proxy_for(ip)
    with socket.create_connection(via or (ip, int(port)), timeout=5) as s:
        target = f'http://{ip}:{port}{path}' if via else path
        s.sendall(f'GET {target} HTTP/1.0\r\nHost: {ip}:{port}\r\n\r\n'.encode())
        chunks = []
        while True:
            data = s.recv(65536)
            if not data:
                break
            chunks.append(data)
    log('call', dst=f'{ip}:{port}', via=addr(via) if via else 'direct')
    return b''.join(chunks).decode(errors='replace')


def app(ports):
    def handle(conn, peer, port):
        with conn:
            request = conn.recv(65536).decode(errors='replace').split('\r\n')[0].split(' ')
            path = request[1] if len(request) > 1 else '/'
            parts = path.strip('/').split('/')
            if parts[0] == 'call' and len(parts) == 3:
                try:
                    body = call(parts[1], parts[2])
                except OSError as e:
                    body = f'call failed: {e}'
            else:
                body = f'app port={port} peer={addr(peer)}\n'
            log('app-request', port=port, peer=addr(peer), path=path)
            conn.sendall(b'HTTP/1.0 200 OK\r\n\r\n' + body.encode())

    for port in ports:
        serve(int(port), handle)


def echo(ports):
    def handle(conn, peer, port):
        with conn:
            conn.recv(65536)
            log('echo', port=port, peer=addr(peer))
            conn.sendall(f'echo port={port} peer={addr(peer)}\n'.encode())

    for port in ports:
        serve(int(port), handle)


def main():
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == 'call':
        sys.stdout.write(call(*args))
        return
    {'proxy': lambda: proxy(), 'app': lambda: app(args), 'echo': lambda: echo(args)}[mode]()
    threading.Event().wait()


main()
