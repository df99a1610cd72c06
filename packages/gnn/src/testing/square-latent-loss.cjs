// A latent loss for the tests, loadable by path in gradient worker threads (plain CommonJS, no
// build): 0.5 * w * mean(z^2) with one parameter w, reported as meanSquare.
const tf = require('@tensorflow/tfjs-core');

exports.squareLatentLoss = function squareLatentLoss(options) {
  const w = tf.variable(tf.scalar(options.w));
  return {
    parameters: new Map([['square.w', w]]),
    loss(z) {
      const meanSquare = tf.mean(tf.square(z));
      return { total: tf.mul(0.5, tf.mul(w, meanSquare)), scalars: { meanSquare: meanSquare.dataSync()[0] } };
    },
    dispose: () => w.dispose(),
  };
};
