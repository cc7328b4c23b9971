// What a mentor says about exercise 13 (how it is used: shared/src/tools/exercise/mentor.ts).
import type { Mentor } from '@cluster-course/shared/tools/exercise/mentor';

export const mentor: Mentor = {
  words: [
    {
      claim: 'INSTANCES=3: fresh requests through nginx reach every instance',
      when: /to deeply equal Set/,
      say:
        'Fresh requests did not reach all 3 instances: nginx sends only to the servers its upstream block ' +
        'lists. Write one `server 127.0.0.1:<port>` line for every instance in o.upstreams.',
    },
    {
      claim: 'BALANCE=hash: each client address meets one instance every time',
      when: /127\.0\.0\.\d+: expected (\d+) to be 1/,
      say: (m) =>
        `One client address met ${m[1]} instances: that is round-robin. BALANCE=hash needs its method at the ` +
        'top of the upstream block: `hash $remote_addr consistent;` (the client address, hashed).',
    },
    {
      claim: 'BALANCE=least_conn: while one instance holds a slow request',
      say:
        'Fresh requests still went to the instance busy with the slow one: that is round-robin. ' +
        'BALANCE=least_conn needs its method at the top of the upstream block: `least_conn;`.',
    },
    {
      claim: 'SIGKILL of a whole instance under a steady stream of GETs',
      say:
        'When an instance died, requests failed: a GET that meets a dead instance must be tried on the ' +
        'next one (proxy_next_upstream error timeout http_502, with proxy_next_upstream_tries), and the dead ' +
        'one taken out for a while (max_fails=1 fail_timeout=10s on its server line).',
    },
  ],
  wrong: [
    {
      name: 'only the first instance in the upstream block',
      file: 'nginx/conf.ts',
      edits: [['const servers = o.upstreams.map(', 'const servers = o.upstreams.slice(0, 1).map(']],
      when: 'check',
      says: 'Fresh requests did not reach all 3 instances',
    },
    {
      name: 'BALANCE=hash without its method',
      file: 'nginx/conf.ts',
      edits: [["hash: 'hash $remote_addr consistent;", "hash: '# hash $remote_addr consistent;"]],
      when: 'check',
      says: 'One client address met 3 instances',
    },
    {
      name: 'BALANCE=least_conn without its method',
      file: 'nginx/conf.ts',
      edits: [["least_conn: 'least_conn;", "least_conn: '# least_conn;"]],
      when: 'check',
      says: 'Fresh requests still went to the instance busy with the slow one',
    },
    {
      name: 'no failover to the next instance',
      file: 'nginx/conf.ts',
      edits: [['proxy_next_upstream error timeout http_502;', 'proxy_next_upstream off;']],
      when: 'check',
      says: 'When an instance died, requests failed',
    },
    {
      // nginx refuses the configuration ("host not found in upstream"), so
      // the lesson stops before its ready line: the harness's words
      // (shared/src/tools/exercise/mentor.ts), proved here.
      name: 'an upstream block named apart from its proxy_pass',
      file: 'nginx/conf.ts',
      edits: [['upstream instances {', 'upstream backend {']],
      when: 'check',
      says: 'before the check could go on',
    },
  ],
};
