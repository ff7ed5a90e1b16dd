import { momoIpnSignature, phpUrlEncode, signaturesEqual, vnpayHashData, vnpaySecureHash, zaloPayCallbackMac } from './provider-signatures';

// The expected digests were computed with `openssl dgst -hmac` over the strings each
// provider's documentation describes, written out by hand: an implementation independent
// of the one under test.
describe('provider signatures', () => {
  it('signs a MoMo IPN over the documented fields in a–z order with the partner’s access key', () => {
    const ipn = {
      partnerCode: 'MOMO',
      orderId: '7c0e0c8a-9c55-4f37-8f8e-2b1d3c4e5f60',
      requestId: 'req-1',
      amount: 50000,
      orderInfo: 'Cà phê sữa đá',
      orderType: 'momo_wallet',
      transId: 4088878653,
      resultCode: 0,
      message: 'Thành công.',
      payType: 'qr',
      responseTime: 1733150000000,
      extraData: '',
      signature: 'ignored',
    };
    expect(momoIpnSignature(ipn, 'F8BBA842ECF85', 'K951B6PE1waDMi640xX08PD3vg6EkVlz')).toBe(
      '6b3eb76b296deb06757af4d125cddda927897d0fff8838aedab52ac172dddacc',
    );
  });

  it('macs a ZaloPay callback’s data string as received, with key2', () => {
    const data = '{"app_id":2553,"app_trans_id":"261202_abc","amount":50000,"zp_trans_id":240101000000123}';
    expect(zaloPayCallbackMac(data, 'kLtgPl8HHhfvMuDHPwKfgfsY4Ydm9eIz')).toBe(
      '36bb801e0e203df5053c570a6d65737137950accd242fd23dba5bb051375b7da',
    );
  });

  it('hashes VNPay’s vnp_ parameters sorted, PHP-urlencoded, without the hash fields', () => {
    const params = {
      vnp_TxnRef: '7c0e0c8a9c554f378f8e2b1d3c4e5f60',
      vnp_Amount: '5000000',
      vnp_TmnCode: 'DEMOV210',
      vnp_ResponseCode: '00',
      vnp_TransactionStatus: '00',
      vnp_TransactionNo: '14271027',
      vnp_BankCode: 'NCB',
      vnp_PayDate: '20261202120000',
      vnp_OrderInfo: 'Thanh toan don hang : Cà phê (x2) ~',
      vnp_SecureHash: 'x',
      vnp_SecureHashType: 'HmacSHA512',
      other: 'not signed',
    };
    expect(vnpayHashData(params)).toBe(
      'vnp_Amount=5000000&vnp_BankCode=NCB&vnp_OrderInfo=Thanh+toan+don+hang+%3A+C%C3%A0+ph%C3%AA+%28x2%29+%7E&vnp_PayDate=20261202120000' +
        '&vnp_ResponseCode=00&vnp_TmnCode=DEMOV210&vnp_TransactionNo=14271027&vnp_TransactionStatus=00&vnp_TxnRef=7c0e0c8a9c554f378f8e2b1d3c4e5f60',
    );
    expect(vnpaySecureHash(params, 'RAOEXHYVSDDIIENYWSLDIIZTANXUXZFJ')).toBe(
      '915c67cec282e7bbd11092e07ce588805dfa206160f37ac79dce0c9d9b71ccb7c3738f614a6445c6e02f05ba0e930dd9182e241a23081068586c9acc747bc329',
    );
  });

  it('encodes like PHP urlencode: only A-Za-z0-9-_. stay, space becomes +', () => {
    expect(phpUrlEncode("a-b_c.d e!*'()~/")).toBe('a-b_c.d+e%21%2A%27%28%29%7E%2F');
  });

  it('compares signatures in constant time and treats junk as unequal', () => {
    const good = 'ab'.repeat(32);
    expect(signaturesEqual(good, good.toUpperCase())).toBe(true);
    for (const bad of [undefined, 42, '', 'ab', 'zz'.repeat(32), `${good}00`, { toString: () => good }])
      expect(signaturesEqual(good, bad)).toBe(false);
  });
});
