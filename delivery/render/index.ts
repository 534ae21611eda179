export * from './render';
export * from './server-defaults';
export * from './yaml-serializer';
