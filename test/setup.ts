import * as tf from '@tensorflow/tfjs';

// Silences tfjs' "install the node backend" banner (tfjs-node cannot install on this project's CI machine).
// PROD, not IS_TEST: IS_TEST also turns on a kernel leak check that misreads wasm's clones of saved tensors.
tf.env().set('PROD', true);
