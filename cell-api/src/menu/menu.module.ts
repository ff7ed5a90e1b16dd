import { Module } from '@nestjs/common';
import { MenuRepository } from './menu.repository';
import { MenuCategoryResolver, MenuItemResolver } from './menu.resolver';
import { MenuService } from './menu.service';

@Module({
  providers: [MenuRepository, MenuService, MenuItemResolver, MenuCategoryResolver],
  exports: [MenuService],
})
export class MenuModule {}
