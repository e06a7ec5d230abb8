/** Model names: the admin's alias map, OpenRouter's catalogue, and resolution between them. */
export * from './catalog-cache';
export * from './catalog-index';
export * from './compile-model-map';
export * from './model-map';
export * from './model-name';
export * from './models-list';
export * from './resolve-model';
