/** The local package publisher: the workspace repository's single writer. */
export { checkedPackage } from './checked-package.js';
export { createLocalPublisher, type LocalPublisherOptions } from './local-publisher.js';
