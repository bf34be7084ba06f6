// PIN blocks: ISO 9564 format 0 under a 3DES key.

export { clearPinBlock, decryptPinBlock, encryptPinBlock, PinBlockError, TEST_PIN_KEY } from './pinBlock.ts';
