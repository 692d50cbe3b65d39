export {
  type InspectedImage,
  type InspectedLayer,
  type InspectedLayout,
  inspectLayout,
} from './inspect-layout.js';
