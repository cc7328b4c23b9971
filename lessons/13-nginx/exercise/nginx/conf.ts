// EXERCISE (lesson 13): the upstream block is missing its heart (TODOs
// below): nginx knows only the first instance, and BALANCE changes
// nothing. Check your work with `pnpm exercise 13`; stuck?
// `pnpm exercise 13 --hint`.
//
// The nginx configuration the lesson writes for one run: read it here, or in
// the prefix folder the lesson prints at start (nginx.conf). It is the whole
// load balancer of this lesson; each directive says what it is for.
import { join } from 'node:path';
import type { Balance } from '../../src/config.ts'; // the files you do not edit stay in src/

export interface Upstream {
  instance: number;
  port: number;
  /** Out of the rotation (a rolling deploy is replacing it). */
  down?: boolean;
}

export interface ConfOptions {
  /** The private folder nginx keeps everything in (src/main.ts). */
  prefix: string;
  host: string;
  port: number;
  upstreams: Upstream[];
  balance: Balance;
  keepalive: number;
}

/** How nginx picks an instance: its default is weighted round-robin. */
const methods: Record<Balance, string> = {
  'round-robin': '# (no method: round-robin, nginx default)',
  // TODO 2: the method for each BALANCE, one directive at the top of the
  // upstream block: least_conn (the instance with the fewest requests in
  // flight), and for hash, one client address always to one instance
  // (hash on nginx's $remote_addr, consistent). Until then, both are round-robin:
  least_conn: '# TODO 2: least_conn',
  hash: '# TODO 2: hash',
};

// Keep-alive to the instances needs HTTP/1.1 and no "Connection: close".
const keepAliveOn = `            # Keep-alive to the instances needs HTTP/1.1 and no "Connection: close".
            proxy_http_version 1.1;
            proxy_set_header Connection "";`;
// Off must be said: nginx 1.29.7 and 1.30 made upstream keep-alive the
// default (keepalive 32 local, proxy_http_version 1.1). HTTP/1.0 with
// "Connection: close" makes each instance close after its answer, on every version.
const keepAliveOff = `            # No keep-alive to the instances, on any nginx version (1.29.7 and
            # 1.30 keep upstream connections alive by default): HTTP/1.0 and
            # "Connection: close", so each instance closes after its answer.
            proxy_http_version 1.0;
            proxy_set_header Connection close;`;

export function nginxConf(o: ConfOptions): string {
  const listen = o.host.includes(':') ? `[${o.host}]:${o.port}` : `${o.host}:${o.port}`;
  const temp = (name: string) => join(o.prefix, 'temp', name);
  // TODO 1: one `server` line per instance in o.upstreams, not only the
  // first: `server 127.0.0.1:<port>`, with a passive health check (one
  // failed attempt takes the instance out for 10 s: max_fails=1
  // fail_timeout=10s) and ` down` when u.down (a rolling deploy is
  // replacing it), then `;  # instance <n>` so the file reads well.
  const [first] = o.upstreams;
  const servers = first ? [`        server 127.0.0.1:${first.port};  # instance ${first.instance}`] : [];
  return `# Written by lessons/13-nginx/src/nginx/conf.ts for one run of lesson 13.
worker_processes 1;              # the instances need the cores more than nginx does
pid ${join(o.prefix, 'nginx.pid')};
error_log stderr notice;         # the lesson prints these lines as [nginx] ...
worker_shutdown_timeout 2s;      # a graceful stop (SIGQUIT) waits at most this long

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

    upstream instances {
        ${methods[o.balance]}
${servers.join('\n')}
        ${o.keepalive > 0 ? `keepalive ${o.keepalive};  # idle connections kept open to the instances, per nginx worker` : '# KEEPALIVE=0: no connection is kept (see the location below)'}
    }

    server {
        listen ${listen};

        location / {
            proxy_pass http://instances;
${o.keepalive > 0 ? keepAliveOn : keepAliveOff}
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_connect_timeout 2s;
            # How long nginx waits for an instance's answer before the attempt
            # counts as a timeout (and a GET goes to the next instance). 60 s is
            # nginx's default, written out: a request stranded in a dying
            # instance (lesson 02) waits this long before it is retried.
            proxy_read_timeout 60s;

            # Failover: a request that meets a refused or broken connection, a
            # timeout or a 502 is tried on the next instance, at most
            # ${o.upstreams.length} tries in all. nginx does it for a POST only if nothing
            # was sent yet: a POST may already have had its effect.
            proxy_next_upstream error timeout http_502;
            proxy_next_upstream_tries ${o.upstreams.length};
            proxy_next_upstream_timeout 30s;

            # Which instances this request was sent to, in order ("a, b" after a retry).
            add_header x-upstream $upstream_addr always;
        }
    }
}
`;
}
