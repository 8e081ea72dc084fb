/** Which image each init container runs, and what it is given. */
import { describe, expect, it } from 'vitest';
import { normalize } from '../../fn/config/normalize';
import { renderInitContainers } from '../../fn/render/init-containers';

const images = (...layers: Parameters<typeof normalize>) =>
  Object.fromEntries(renderInitContainers(normalize(...layers)).map((c) => [c.name, c.image]));

describe('init container images', () => {
  it('both run the sidecar image by default', () => {
    expect(images({ image: 'goproxy:1' })).toEqual({
      'speedscale-initproxy-iptables': 'goproxy:1',
      'speedscale-initproxy-smartdns': 'goproxy:1',
    });
  });

  it('initImage replaces the iptables one only: init-smartdns.sh ships in goproxy alone', () => {
    // The Dockerfile's init target (iptables only) has no init-smartdns.sh; `|| true` would hide that it never ran.
    expect(images({ image: 'goproxy:1', initImage: 'iptables:1', redirect: 'iptables' })).toEqual({
      'speedscale-initproxy-iptables': 'iptables:1',
      'speedscale-initproxy-smartdns': 'goproxy:1',
    });
  });
});
