/**
 * The gradient of every tfjs op. `@tensorflow/tfjs-core`'s Node bundle (dist/tf-core.node.js)
 * leaves them out: they ship only as extensionless ESM files (dist/gradients/*.js) that Node
 * cannot load, and only the 141 MB `@tensorflow/tfjs` union package registers them. We bundle
 * them instead (tsup `noExternal`, and jest transforms them). The gradient and kernel registries
 * and the engine live on the global object, so this copy registers into the one tfjs-core uses.
 */
import '@tensorflow/tfjs-core/dist/register_all_gradients';
