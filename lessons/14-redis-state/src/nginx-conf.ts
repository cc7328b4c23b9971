// The front: nginx, round-robin over the instances, as lesson 13 runs it
// (read that lesson for each directive). New here: WebSocket. A WebSocket
// starts as an HTTP/1.1 request with `Upgrade: websocket`, and nginx passes
// the Upgrade and Connection headers on only when told to; then the
// connection stays open, so it needs a read timeout longer than the
// chat's heartbeat (Socket.IO pings every 25 s by default).
import { join } from 'node:path';

export interface FrontOptions {
  prefix: string;
  host: string;
  port: number;
  instancePorts: number[];
}

export function nginxConf(o: FrontOptions): string {
  const listen = o.host.includes(':') ? `[${o.host}]:${o.port}` : `${o.host}:${o.port}`;
  const temp = (name: string) => join(o.prefix, 'temp', name);
  const servers = o.instancePorts.map(
    (port, i) => `        server 127.0.0.1:${port} max_fails=1 fail_timeout=10s;  # instance ${i + 1}`,
  );
  return `# Written by lessons/14-redis-state/src/nginx-conf.ts for one run of lesson 14.
worker_processes 1;
pid ${join(o.prefix, 'nginx.pid')};
error_log stderr notice;
worker_shutdown_timeout 2s;

events {
    worker_connections 1024;
}

http {
    log_format upstream '$remote_addr "$request" $status upstream=$upstream_addr';
    access_log ${join(o.prefix, 'access.log')} upstream;
    client_body_temp_path ${temp('client_body')};
    proxy_temp_path ${temp('proxy')};
    fastcgi_temp_path ${temp('fastcgi')};
    uwsgi_temp_path ${temp('uwsgi')};
    scgi_temp_path ${temp('scgi')};

    # "Connection: upgrade" for a WebSocket's first request, and an empty
    # Connection header (keep-alive to the instances) for every other.
    map $http_upgrade $connection_upgrade {
        default upgrade;
        ''      '';
    }

    upstream instances {
${servers.join('\n')}
        keepalive 8;
    }

    server {
        listen ${listen};

        location / {
            proxy_pass http://instances;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            # Who the client is: express-rate-limit counts per client (app.ts trusts loopback).
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_connect_timeout 2s;
            proxy_read_timeout 60s;
            proxy_next_upstream error timeout;
            proxy_next_upstream_tries ${o.instancePorts.length};
            add_header x-upstream $upstream_addr always;
        }
    }
}
`;
}
