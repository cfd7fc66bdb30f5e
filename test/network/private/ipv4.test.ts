import { isPrivateIpv4Block, parseIpv4Cidr } from '../../../lib/network/private/ipv4';

describe('parseIpv4Cidr', () => {
  test('parses a network address and its prefix', () => {
    expect(parseIpv4Cidr('10.1.0.0/16')).toEqual({ network: 10 * 2 ** 24 + 2 ** 16, prefix: 16 });
    expect(parseIpv4Cidr('0.0.0.0/0')).toEqual({ network: 0, prefix: 0 });
  });

  test.each(['10.1.0.1/16', '10.0.0.0/33', '256.0.0.0/8', '10.0.0/16', '10.0.0.0', ' 10.0.0.0/16', '10.0.0.0/16 '])(
    'refuses %p', (text) => {
      expect(parseIpv4Cidr(text)).toBeUndefined();
    });
});

describe('isPrivateIpv4Block', () => {
  test.each([
    ['10.0.0.0/16', true], ['10.255.252.0/22', true], ['172.16.0.0/16', true], ['172.31.0.0/16', true],
    ['192.168.0.0/16', true], ['100.64.0.0/16', true], ['100.127.0.0/16', true],
    ['172.32.0.0/16', false], ['100.128.0.0/16', false], ['11.0.0.0/16', false], ['10.0.0.0/7', false], ['192.169.0.0/16', false],
  ])('%s is private: %s', (cidr, expected) => {
    expect(isPrivateIpv4Block(parseIpv4Cidr(cidr)!)).toBe(expected);
  });
});
