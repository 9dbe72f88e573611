import * as tf from '@tensorflow/tfjs';

// Silences tfjs' "install the node backend" banner; tfjs-node cannot install here (BRIEF §1).
tf.env().set('IS_TEST', true);
