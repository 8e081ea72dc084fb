import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { normalize } from '../../fn/config/normalize';
import { redirectRules } from '../../fn/render/init-containers';
import { renderIptablesScript, type RedirectRules } from '../../fn/render/iptables-script';

/** The rules of the schema's defaults: what every workload starts from. */
const DEFAULT_RULES = redirectRules(normalize());
const render = (over: Partial<RedirectRules> = {}) => renderIptablesScript({ ...DEFAULT_RULES, ...over });
/** The lines that install a rule (nat4/nat6 -A ...), without the IPv6 block's indentation. */
const ruleLines = (script: string) =>
  script
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /(^|; then )nat[46] -A /.test(l));
const v4 = (script: string) => ruleLines(script).filter((l) => l.includes('nat4 '));
const v6 = (script: string) => ruleLines(script).filter((l) => l.includes('nat6 '));

const FULL: Partial<RedirectRules> = {
  ignoreInboundPorts: [9090, 15021],
  ignoreOutboundPorts: [5432],
  ignoreSrcCidrs: ['192.0.2.0/24', '2001:db8::/32'],
  ignoreDstCidrs: ['198.51.100.7', '2001:db8:1::1/128'],
  ignoreSrcHosts: ['probe.example.com'],
  ignoreDstHosts: ['db.example.com'],
};

describe('renderIptablesScript: rules per option', () => {
  const cases: { name: string; over: Partial<RedirectRules>; present: string[]; absent: string[] }[] = [
    {
      name: 'defaults',
      over: {},
      present: [
        'nat4 -A SPEEDSCALE_INBOUND -p tcp -m multiport --dports 4140,4143 -m comment --comment "speedscale/proxy-ports" -j RETURN',
        'nat4 -A SPEEDSCALE_INBOUND -p tcp -m comment --comment "speedscale/redirect-inbound" -j REDIRECT --to-ports 4143',
        'nat4 -A SPEEDSCALE_OUTPUT -m owner --uid-owner 2102 -m comment --comment "speedscale/proxy-uid" -j RETURN',
        'nat4 -A SPEEDSCALE_OUTPUT -o lo -m comment --comment "speedscale/loopback" -j RETURN',
        'nat4 -A SPEEDSCALE_OUTPUT -p tcp -m comment --comment "speedscale/redirect-outbound" -j REDIRECT --to-ports 4140',
        'once "$1" PREROUTING -p tcp -m comment --comment "speedscale/inbound" -j SPEEDSCALE_INBOUND',
        'once "$1" OUTPUT -p tcp -m comment --comment "speedscale/outbound" -j SPEEDSCALE_OUTPUT',
        '-s "$node4" -m comment --comment "speedscale/node-traffic" -j RETURN',
        'nat4 -S SPEEDSCALE_INBOUND',
        'nat6 -S SPEEDSCALE_OUTPUT',
      ],
      absent: ['-i lo', 'track-loopback', 'ignore-inbound-ports', 'ignore-dst-ips', 'ignore-src-hosts'],
    },
    {
      name: 'custom proxy ports and uid',
      over: { proxyInPort: 15006, proxyOutPort: 15001, proxyUid: 1337 },
      present: ['--dports 15001,15006', '--uid-owner 1337', '--to-ports 15006', '--to-ports 15001'],
      absent: ['4143', '4140', '2102'],
    },
    {
      name: 'ignore lists',
      over: FULL,
      present: [
        'nat4 -A SPEEDSCALE_INBOUND -p tcp -m multiport --dports 9090,15021 -m comment --comment ' +
          '"speedscale/ignore-inbound-ports" -j RETURN',
        'nat4 -A SPEEDSCALE_OUTPUT -p tcp -m multiport --dports 5432 -m comment --comment "speedscale/ignore-outbound-ports" -j RETURN',
        'nat4 -A SPEEDSCALE_INBOUND -s 192.0.2.0/24 -m comment --comment "speedscale/ignore-src-ips" -j RETURN',
        'nat6 -A SPEEDSCALE_INBOUND -s 2001:db8::/32 -m comment --comment "speedscale/ignore-src-ips" -j RETURN',
        'nat4 -A SPEEDSCALE_OUTPUT -d 198.51.100.7 -m comment --comment "speedscale/ignore-dst-ips" -j RETURN',
        'nat6 -A SPEEDSCALE_OUTPUT -d 2001:db8:1::1/128 -m comment --comment "speedscale/ignore-dst-ips" -j RETURN',
        'nat4 -A SPEEDSCALE_INBOUND -s probe.example.com -m comment --comment "speedscale/ignore-src-hosts" ' +
          '-j RETURN || unresolved probe.example.com IPv4',
        'nat6 -A SPEEDSCALE_OUTPUT -d db.example.com -m comment --comment "speedscale/ignore-dst-hosts" -j ' +
          'RETURN || unresolved db.example.com IPv6',
      ],
      absent: ['ignore-src-ips=*', 'ignore-dst-ips=*'],
    },
    {
      name: "ignore-src-ips '*' skips the inbound direction",
      over: { ...FULL, ignoreSrcCidrs: ['192.0.2.1'], ignoreAllSrc: true },
      present: [
        'nat4 -A SPEEDSCALE_INBOUND -m comment --comment "speedscale/ignore-src-ips=*" -j RETURN',
        'redirect-outbound',
      ],
      absent: ['redirect-inbound', '-s 192.0.2.1', 'ignore-src-hosts', 'node-traffic'],
    },
    {
      name: "ignore-dst-ips '*' skips the outbound direction",
      over: { ...FULL, ignoreDstCidrs: [], ignoreAllDst: true },
      present: [
        'nat6 -A SPEEDSCALE_OUTPUT -m comment --comment "speedscale/ignore-dst-ips=*" -j RETURN',
        'proxy-uid',
        'redirect-inbound',
      ],
      absent: ['redirect-outbound', 'ignore-dst-hosts', 'ignore-outbound-ports'],
    },
    {
      name: 'ignoreLoopback keeps lo out in both directions',
      over: { ignoreLoopback: true },
      present: [
        'nat4 -A SPEEDSCALE_INBOUND -i lo -m comment --comment "speedscale/ignore-loopback" -j RETURN',
        'nat4 -A SPEEDSCALE_OUTPUT -o lo -m comment --comment "speedscale/ignore-loopback" -j RETURN',
      ],
      absent: ['"speedscale/loopback"', 'track-loopback'],
    },
    {
      name: 'trackLoopback sends outbound on lo to the in-port, minus proxy and ignored inbound ports',
      over: { trackLoopback: true, ignoreInboundPorts: [9090] },
      present: [
        'nat4 -A SPEEDSCALE_OUTPUT -o lo -p tcp -m multiport --dports 4140,4143 -m comment --comment "speedscale/proxy-ports" -j RETURN',
        'nat4 -A SPEEDSCALE_OUTPUT -o lo -p tcp -m multiport --dports 9090 -m comment --comment ' +
          '"speedscale/ignore-inbound-ports" -j RETURN',
        'nat4 -A SPEEDSCALE_OUTPUT -o lo -p tcp -m comment --comment "speedscale/track-loopback" -j REDIRECT --to-ports 4143',
      ],
      absent: ['"speedscale/loopback"', '-i lo'],
    },
    {
      name: 'ignoreLoopback wins over trackLoopback',
      over: { ignoreLoopback: true, trackLoopback: true },
      present: ['-o lo -m comment --comment "speedscale/ignore-loopback" -j RETURN'],
      absent: ['track-loopback'],
    },
    {
      name: 'captureNodeTraffic leaves node traffic to the proxy',
      over: { captureNodeTraffic: true },
      present: ['capture-node-traffic'],
      absent: ['node-traffic"', 'STATUS_HOST_IP'],
    },
  ];

  it.each(cases)('$name', ({ over, present, absent }) => {
    const script = render(over);
    for (const text of present) expect(script).toContain(text);
    for (const text of absent) expect(script).not.toContain(text);
  });

  it('orders each chain: exemptions first, the REDIRECT last', () => {
    for (const lines of [v4(render(FULL)), v6(render({ ...FULL, trackLoopback: true }))]) {
      for (const chain of ['SPEEDSCALE_INBOUND', 'SPEEDSCALE_OUTPUT']) {
        const own = lines.filter((l) => l.includes(`-A ${chain} `));
        expect(own.at(-1)).toMatch(/-j REDIRECT --to-ports \d+$/);
        expect(own.slice(0, -1).filter((l) => l.includes('-j REDIRECT') && !l.includes('track-loopback'))).toEqual([]);
      }
      expect(lines.find((l) => l.includes('-A SPEEDSCALE_OUTPUT'))).toContain('--uid-owner 2102');
    }
  });
});

describe('renderIptablesScript: shape', () => {
  const variants: Partial<RedirectRules>[] = [
    {},
    FULL,
    { ...FULL, trackLoopback: true },
    { ...FULL, ignoreLoopback: true, captureNodeTraffic: true },
    { ignoreAllSrc: true, ignoreAllDst: true },
  ];

  it('puts a speedscale/ comment on every rule', () => {
    for (const over of variants) {
      const script = render(over);
      const rules = [...ruleLines(script), ...script.split('\n').filter((l) => l.includes('once "$1"'))];
      expect(rules.length).toBeGreaterThan(5);
      for (const rule of rules) expect(rule).toMatch(/ -m comment --comment "speedscale\/[a-z=*-]+" /);
    }
  });

  it('splits port lists into multiport groups of at most 15', () => {
    const ports = Array.from({ length: 40 }, (_, i) => 20000 + i * 3);
    const script = render({
      ignoreInboundPorts: [...ports].reverse(),
      ignoreOutboundPorts: ports,
      trackLoopback: true,
    });
    const groups = v4(script)
      .map((l) => /--dports (\S+)/.exec(l)?.[1])
      .filter((g): g is string => g !== undefined);
    for (const g of groups) expect(g.split(',').length).toBeLessThanOrEqual(15);
    const chainGroups = (marker: string) =>
      v4(script)
        .filter((l) => l.includes(marker) && l.includes('--dports'))
        .map((l) => /--dports (\S+)/.exec(l)![1].split(',').map(Number));
    for (const marker of [
      '-A SPEEDSCALE_INBOUND -p tcp -m multiport',
      '-A SPEEDSCALE_OUTPUT -o lo',
      '-A SPEEDSCALE_OUTPUT -p tcp -m multiport',
    ]) {
      const sets = chainGroups(marker).filter((g) => !g.includes(4143));
      expect(sets.map((g) => g.length)).toEqual([15, 15, 10]);
      expect(sets.flat()).toEqual(ports); // sorted, complete, no repeats
    }
  });

  it('splits CIDRs by family', () => {
    const script = render(FULL);
    expect(v4(script).join('\n')).not.toMatch(/-[sd] [0-9a-f]*:/);
    expect(v6(script).join('\n')).not.toMatch(/-[sd] \d+\.\d+\.\d+\.\d+/);
    expect(v4(script).filter((l) => l.includes('ignore-src-ips'))).toHaveLength(1);
    expect(v6(script).filter((l) => l.includes('ignore-dst-ips'))).toHaveLength(1);
  });

  it('renders the same text for the same input, without touching the input', () => {
    const input = { ...DEFAULT_RULES, ...FULL, ignoreInboundPorts: [9090, 80, 9090] };
    const copy = structuredClone(input);
    expect(renderIptablesScript(input)).toBe(renderIptablesScript(structuredClone(input)));
    expect(input).toEqual(copy);
    expect(render({ ignoreInboundPorts: [9090, 80] })).toBe(render({ ignoreInboundPorts: [80, 9090, 80] }));
  });

  it("starts from the schema's defaults: the Speedscale ports and uid, nothing ignored", () => {
    expect(DEFAULT_RULES).toEqual({
      proxyInPort: 4143,
      proxyOutPort: 4140,
      proxyUid: 2102,
      ignoreInboundPorts: [],
      ignoreOutboundPorts: [],
      ignoreSrcCidrs: [],
      ignoreAllSrc: false,
      ignoreDstCidrs: [],
      ignoreAllDst: false,
      ignoreSrcHosts: [],
      ignoreDstHosts: [],
      ignoreLoopback: false,
      trackLoopback: false,
      captureNodeTraffic: false,
    });
  });

  it("leaves the proxy's metrics port (prometheus-port) alone, like its in- and out-port", () => {
    // Otherwise a Prometheus scrape of the proxy is redirected to the in-port and recorded as the app's traffic.
    const script = renderIptablesScript(redirectRules(normalize({ prometheusPort: 9102, trackLoopback: true })));
    const exempt =
      '-p tcp -m multiport --dports 4140,4143,9102 -m comment --comment "speedscale/proxy-ports" -j RETURN';
    expect(script).toContain(`nat4 -A SPEEDSCALE_INBOUND ${exempt}`);
    expect(script).toContain(`nat6 -A SPEEDSCALE_INBOUND ${exempt}`);
    expect(script).toContain(`nat4 -A SPEEDSCALE_OUTPUT -o lo ${exempt}`);
    expect(() => render({ proxyMetricsPort: 0 })).toThrow(/proxyMetricsPort must be an integer port/);
  });

  it('reads a setting\'s "*" as the whole direction, never as an address the shell would expand', () => {
    const rules = redirectRules(normalize({ ignoreSrcIps: '*', ignoreDstIps: ' 10.0.0.0/8 , 192.0.2.1' }));
    expect(rules).toMatchObject({
      ignoreAllSrc: true,
      ignoreSrcCidrs: [],
      ignoreDstCidrs: ['10.0.0.0/8', '192.0.2.1'],
    });
    expect(() => render({ ignoreSrcCidrs: ['*'] })).toThrow(/ignoreSrcCidrs must be IPv4\/IPv6 addresses or CIDRs/);
  });

  it.each(variants.map((over, i) => ({ i, over })))('passes dash syntax check (/bin/sh -n), variant $i', ({ over }) => {
    const result = spawnSync('/bin/sh', ['-n'], { input: render(over), encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('renderIptablesScript: rejects input that is unsafe in a shell', () => {
  const bad: [string, Partial<RedirectRules>, RegExp][] = [
    ['port 0', { proxyInPort: 0 }, /proxyInPort must be an integer port 1-65535, got 0/],
    ['port 65536', { proxyOutPort: 65536 }, /proxyOutPort/],
    ['fractional port', { ignoreInboundPorts: [80.5] }, /ignoreInboundPorts/],
    ['port as text', { ignoreOutboundPorts: ['80;reboot' as unknown as number] }, /ignoreOutboundPorts.*80;reboot/],
    ['NaN port', { ignoreInboundPorts: [Number.NaN] }, /ignoreInboundPorts/],
    ['negative uid', { proxyUid: -1 }, /proxyUid must be an integer uid/],
    ['uid as text', { proxyUid: '0 -j ACCEPT' as unknown as number }, /proxyUid/],
    [
      'command substitution in a CIDR',
      { ignoreSrcCidrs: ['$(id)'] },
      /ignoreSrcCidrs must be IPv4\/IPv6 addresses or CIDRs/,
    ],
    ['extra iptables options in a CIDR', { ignoreDstCidrs: ['192.0.2.1 -j ACCEPT'] }, /ignoreDstCidrs/],
    ['IPv4 prefix > 32', { ignoreDstCidrs: ['192.0.2.0/33'] }, /ignoreDstCidrs/],
    ['IPv6 prefix > 128', { ignoreSrcCidrs: ['2001:db8::/129'] }, /ignoreSrcCidrs/],
    ['prefix with a leading zero (iptables: invalid mask)', { ignoreDstCidrs: ['192.0.2.0/08'] }, /ignoreDstCidrs/],
    ['not an address', { ignoreSrcCidrs: ['999.1.1.1'] }, /ignoreSrcCidrs/],
    ['semicolon in a host', { ignoreDstHosts: ['a.example;reboot'] }, /ignoreDstHosts must be hostnames/],
    ['option-like host', { ignoreSrcHosts: ['-j'] }, /ignoreSrcHosts/],
    ['backticks in a host', { ignoreSrcHosts: ['`id`'] }, /ignoreSrcHosts/],
    ['space in a host', { ignoreDstHosts: ['a b'] }, /ignoreDstHosts/],
    ['overlong host', { ignoreDstHosts: [`${'a'.repeat(60)}.`.repeat(5) + 'com'] }, /ignoreDstHosts/],
    [
      'list that is not a list',
      { ignoreSrcHosts: 'a.example' as unknown as string[] },
      /ignoreSrcHosts must be a list/,
    ],
  ];

  it.each(bad)('%s', (_name, over, message) => {
    expect(() => render(over)).toThrow(message);
  });
});

/**
 * Runs the script under dash with a fake iptables on PATH (no root needed): proves the control flow that a
 * syntax check cannot, i.e. chains created then flushed, jumps added once, IPv6 degrading with a message.
 * The real kernel behaviour is proven in test/integration/iptables-netns.test.ts.
 */
describe('renderIptablesScript: runs under dash with a fake iptables', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ssc-fake-iptables-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const FAKE = `#!/bin/sh
# Fake iptables: remembers chains and appended rules per binary in $FAKE_STATE.
me=\${0##*/}
echo "$me $*" >> "$FAKE_STATE/log"
[ "$me" = ip6tables ] && [ -n "\${FAKE_NO_NAT6:-}" ] && { echo "can't initialize ip6tables table nat" >&2; exit 3; }
shift 3 # -w -t nat
case "$1" in
  -N) touch "$FAKE_STATE/$me.chain.$2" ;;
  -S) [ $# -eq 1 ] || [ -e "$FAKE_STATE/$me.chain.$2" ] ;;
  -A) shift; echo "$*" >> "$FAKE_STATE/$me.rules" ;;
  -C) shift; grep -qxF -- "$*" "$FAKE_STATE/$me.rules" 2>/dev/null ;;
esac
`;
  const bin = join(dir, 'bin');
  spawnSync('mkdir', ['-p', bin]);
  writeFileSync(join(bin, 'iptables'), FAKE);
  chmodSync(join(bin, 'iptables'), 0o755);
  symlinkSync('iptables', join(bin, 'ip6tables'));

  const run = (state: string, env: Record<string, string> = {}) => {
    spawnSync('mkdir', ['-p', state]);
    const result = spawnSync('/bin/sh', ['-c', render(FULL)], {
      encoding: 'utf8',
      env: { PATH: `${bin}:/usr/bin:/bin`, FAKE_STATE: state, STATUS_HOST_IP: '192.0.2.9', ...env },
    });
    return { ...result, log: readFileSync(join(state, 'log'), 'utf8').split('\n') };
  };

  it('creates chains on the first run, flushes them on the second, and adds each jump once', () => {
    const state = join(dir, 'twice');
    const first = run(state);
    expect(first.status).toBe(0);
    expect(first.log).toContain('iptables -w -t nat -N SPEEDSCALE_INBOUND');
    expect(first.log).toContain('ip6tables -w -t nat -N SPEEDSCALE_OUTPUT');
    expect(first.log).toContain(
      'iptables -w -t nat -A SPEEDSCALE_INBOUND -s 192.0.2.9 -m comment --comment speedscale/node-traffic -j RETURN',
    );
    const second = run(state);
    expect(second.status).toBe(0);
    const secondRun = second.log.slice(first.log.length - 1);
    expect(secondRun).toContain('iptables -w -t nat -F SPEEDSCALE_INBOUND');
    expect(secondRun.filter((l) => l.includes(' -N '))).toEqual([]);
    const jumps = readFileSync(join(state, 'iptables.rules'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('PREROUTING'));
    expect(jumps).toEqual(['PREROUTING -p tcp -m comment --comment speedscale/inbound -j SPEEDSCALE_INBOUND']);
    expect(second.stdout).toContain('speedscale-initproxy: installed IPv6 rules:');
  });

  it('goes on with IPv4 only, saying so, when ip6tables has no nat table', () => {
    const result = run(join(dir, 'no-nat6'), { FAKE_NO_NAT6: '1', STATUS_HOST_IP: '2001:db8::9' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      'ip6tables or its nat table is not available: IPv6 traffic is not redirected (IPv4 rules only)',
    );
    expect(result.log.filter((l) => l.startsWith('ip6tables') && l.includes(' -A '))).toEqual([]);
    expect(result.log.filter((l) => l.includes('node-traffic'))).toEqual([]); // an IPv6 node address has no IPv4 rule
    expect(result.stdout).toContain('installed IPv4 rules:');
    expect(result.stdout).not.toContain('installed IPv6 rules:');
  });

  it('ignores a STATUS_HOST_IP that is not an address, with a message', () => {
    const result = run(join(dir, 'bad-host-ip'), { STATUS_HOST_IP: '$(reboot)' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('STATUS_HOST_IP is not an IP address');
    expect(result.log.filter((l) => l.includes('node-traffic'))).toEqual([]);
  });

  it('fails clearly when the image has no iptables', () => {
    const result = spawnSync('/bin/sh', ['-c', render()], { encoding: 'utf8', env: { PATH: '/nonexistent' } });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('iptables is not installed in this image');
  });
});
